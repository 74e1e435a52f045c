using System.Buffers.Binary;
using System.IO.Compression;
using Vinfer.Experiments.Vae;

namespace Vinfer.Tests.Experiments.Vae;

public class GrayscalePngTests
{
    [Fact]
    public void CrcMatchesThePngSpecification()
    {
        // the IEND chunk's CRC, fixed by the specification
        Assert.Equal(0xAE426082u, GrayscalePng.Crc32("IEND"u8));
        Assert.Equal(0xCBF43926u, GrayscalePng.Crc32("123456789"u8)); // the CRC-32 check value
    }

    [Fact]
    public void EncodesPixelsThatDecodeBack()
    {
        var pixels = new[] { 0.0, 0.5, 1.0, 0.25, 0.75, 1.0 };
        var png = GrayscalePng.Encode(pixels, 3, 2);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20)));
        // IDAT follows IHDR (8 + 25 bytes): length, "IDAT", zlib data
        int length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(33));
        Assert.Equal("IDAT"u8.ToArray(), png[37..41]);
        using var z = new ZLibStream(new MemoryStream(png[41..(41 + length)]), CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        Assert.Equal(new byte[] { 0, 0, 128, 255, 0, 64, 191, 255 }, raw.ToArray());
        Assert.Equal(GrayscalePng.Crc32(png.AsSpan(37, 4 + length)), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(41 + length)));
    }
}
