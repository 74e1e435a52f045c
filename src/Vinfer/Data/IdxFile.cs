using System.Buffers.Binary;
using System.IO.Compression;

namespace Vinfer.Data;

/// <summary>
/// The IDX format of the MNIST files (LeCun, Cortes and Burges, "The MNIST database of handwritten digits"): a 4-byte
/// magic number (two zero bytes, a type code, the number of dimensions), one big-endian 32-bit size per dimension,
/// then the values in row-major order. Only unsigned bytes (type 0x08), the type of every MNIST and Fashion-MNIST file,
/// are read. Gzip-compressed files (as Debian ships them) are recognised by their own magic bytes and read transparently.
/// Reading is strict: a wrong magic number, an unsupported type, a zero size, a truncated body or trailing bytes each
/// give one <see cref="DataFormatException"/> naming the file and what is wrong.
/// </summary>
public static class IdxFile
{
    /// <summary>The type code of unsigned bytes.</summary>
    public const byte UnsignedByteType = 0x08;

    /// <summary>Reads an IDX file (optionally gzip-compressed) of unsigned bytes.</summary>
    public static IdxArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new DataFormatException($"IDX file '{path}' does not exist.");
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            try
            {
                using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gz.CopyTo(plain);
                bytes = plain.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException($"IDX file '{path}': corrupt gzip stream ({e.Message}).", e);
            }
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses the bytes of an uncompressed IDX file; <paramref name="name"/> names it in errors.</summary>
    public static IdxArray Parse(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length < 4)
            throw new DataFormatException($"IDX file '{name}': {bytes.Length} bytes is too short for the 4-byte magic number (truncated file).");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new DataFormatException($"IDX file '{name}': wrong magic number 0x{BinaryPrimitives.ReadUInt32BigEndian(bytes):X8}; an IDX file starts with two zero bytes.");
        if (bytes[2] != UnsignedByteType)
            throw new DataFormatException($"IDX file '{name}': unsupported type code 0x{bytes[2]:X2} in the magic number; only unsigned bytes (0x08) are read.");
        int rank = bytes[3];
        if (rank < 1)
            throw new DataFormatException($"IDX file '{name}': the magic number declares 0 dimensions.");
        int header = 4 + 4 * rank;
        if (bytes.Length < header)
            throw new DataFormatException($"IDX file '{name}': {bytes.Length} bytes cannot hold the {rank} dimension sizes the magic number declares (truncated file).");
        var dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(bytes[(4 + 4 * d)..]);
            if (size == 0 || size > int.MaxValue)
                throw new DataFormatException($"IDX file '{name}': dimension {d} has size {size}; sizes must be between 1 and {int.MaxValue}.");
            dims[d] = (int)size;
            count *= size;
            if (count > int.MaxValue)
                throw new DataFormatException($"IDX file '{name}': dimensions [{string.Join(", ", dims[..(d + 1)])}] exceed {int.MaxValue} values.");
        }
        long body = bytes.Length - header;
        if (body < count)
            throw new DataFormatException($"IDX file '{name}': dimensions [{string.Join(", ", dims)}] need {count} data bytes but only {body} follow the header (truncated file).");
        if (body > count)
            throw new DataFormatException($"IDX file '{name}': dimensions [{string.Join(", ", dims)}] need {count} data bytes but {body} follow the header ({body - count} trailing bytes).");
        return new IdxArray(dims, bytes[header..].ToArray());
    }

    /// <summary>Writes unsigned bytes as an uncompressed IDX file (for test slices and exports).</summary>
    public static void Write(string path, IdxArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        File.WriteAllBytes(path, ToBytes(array));
    }

    /// <summary>The bytes of an uncompressed IDX file holding <paramref name="array"/>.</summary>
    public static byte[] ToBytes(IdxArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var bytes = new byte[4 + 4 * array.Dimensions.Count + array.Values.Length];
        bytes[2] = UnsignedByteType;
        bytes[3] = checked((byte)array.Dimensions.Count);
        for (int d = 0; d < array.Dimensions.Count; d++)
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * d), (uint)array.Dimensions[d]);
        array.Values.CopyTo(bytes, 4 + 4 * array.Dimensions.Count);
        return bytes;
    }
}
