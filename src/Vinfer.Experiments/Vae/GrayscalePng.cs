using System.Buffers.Binary;
using System.IO.Compression;

namespace Vinfer.Experiments.Vae;

/// <summary>
/// A minimal PNG encoder (W3C PNG specification, 2nd ed.) for 8-bit grey-level images: signature, IHDR, one zlib
/// IDAT (filter type 0 per row), IEND, each chunk with its CRC-32. Enough for image grids; written here instead of
/// taking a plotting library for one image kind.
/// </summary>
public static class GrayscalePng
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>PNG bytes of a <paramref name="width"/>×<paramref name="height"/> image, intensities in [0, 1] row-major (1 = white).</summary>
    public static byte[] Encode(ReadOnlySpan<double> intensities, int width, int height)
    {
        if (width < 1 || height < 1 || intensities.Length != width * height)
            throw new ArgumentException($"PNG: {intensities.Length} intensities for a {width}×{height} image.", nameof(intensities));
        var raw = new byte[height * (width + 1)];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                raw[y * (width + 1) + 1 + x] = (byte)Math.Round(255 * Math.Clamp(intensities[y * width + x], 0, 1));
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw);
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), (uint)height);
        header[8] = 8; // bit depth; colour type 0 (grey), compression 0, filter 0, no interlace
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>
    /// A grid of <paramref name="rows"/>×<paramref name="columns"/> tiles of <paramref name="tileHeight"/>×<paramref name="tileWidth"/>
    /// from <paramref name="tiles"/> (row-major, tile after tile), with a 1-pixel grey gutter; missing tiles stay black.
    /// </summary>
    public static byte[] Grid(ReadOnlySpan<double> tiles, int tileHeight, int tileWidth, int rows, int columns)
    {
        int size = tileHeight * tileWidth, count = tiles.Length / size;
        int width = columns * (tileWidth + 1) + 1, height = rows * (tileHeight + 1) + 1;
        var canvas = new double[width * height];
        Array.Fill(canvas, 0.5);
        for (int t = 0; t < rows * columns; t++)
        {
            int top = 1 + (t / columns) * (tileHeight + 1), left = 1 + (t % columns) * (tileWidth + 1);
            for (int y = 0; y < tileHeight; y++)
                for (int x = 0; x < tileWidth; x++)
                    canvas[(top + y) * width + left + x] = t < count ? tiles[t * size + y * tileWidth + x] : 0;
        }
        return Encode(canvas, width, height);
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(four, (uint)data.Length);
        png.Write(four);
        var typed = new byte[4 + data.Length];
        for (int i = 0; i < 4; i++) typed[i] = (byte)type[i];
        data.CopyTo(typed, 4);
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32(typed));
        png.Write(four);
    }

    /// <summary>The CRC-32 of PNG chunks (polynomial 0xEDB88320, reflected).</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in bytes) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFF;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
