using System.IO.Compression;
using Vinfer.Data;

namespace Vinfer.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"vinfer-idx-{Guid.NewGuid():N}");

    public IdxFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteBytes(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void RoundTripsPlainAndGzip()
    {
        var array = new IdxArray([2, 3, 2], Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray());
        var bytes = IdxFile.ToBytes(array);
        // header by hand: 00 00 08 03, then 2, 3, 2 big-endian
        Assert.Equal(new byte[] { 0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 2 }, bytes[..16]);
        var plain = IdxFile.Read(WriteBytes("a.idx", bytes));
        Assert.Equal([2, 3, 2], plain.Dimensions);
        Assert.Equal(array.Values, plain.Values);
        using var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(bytes);
        var unzipped = IdxFile.Read(WriteBytes("a.idx.gz", gz.ToArray()));
        Assert.Equal(array.Values, unzipped.Values);
    }

    [Fact]
    public void ReadsTheCommittedMnistSlice()
    {
        var set = ImageDatasets.ImagesFromIdx("slice", TestImages.ImagesPath, TestImages.LabelsPath);
        Assert.Equal(40, set.Count);
        Assert.Equal(28, set.Rows);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => i / 4).ToArray(), set.Labels);
        Assert.All(set.Pixels, v => Assert.InRange(v, 0, 1));
        // a digit covers roughly 10-25 % of the frame with ink
        double ink = set.Pixels.Average();
        Assert.InRange(ink, 0.05, 0.3);
    }

    private string Fails(byte[] bytes) => Assert.Throws<DataFormatException>(() => IdxFile.Read(WriteBytes("bad.idx", bytes))).Message;

    [Fact]
    public void RejectsCorruptFilesWithOneMessageNamingTheFile()
    {
        var good = IdxFile.ToBytes(new IdxArray([3, 4], new byte[12]));
        var wrongMagic = (byte[])good.Clone(); wrongMagic[0] = 1;
        Assert.Contains("wrong magic number 0x01000802", Fails(wrongMagic));
        var wrongType = (byte[])good.Clone(); wrongType[2] = 0x0D;
        Assert.Contains("unsupported type code 0x0D", Fails(wrongType));
        Assert.Contains("truncated file", Fails(good[..3]));
        Assert.Contains("cannot hold the 2 dimension sizes", Fails(good[..9]));
        Assert.Contains("need 12 data bytes but only 11", Fails(good[..^1]));
        Assert.Contains("1 trailing bytes", Fails([.. good, 7]));
        var zeroDimension = (byte[])good.Clone(); zeroDimension[7] = 0;
        Assert.Contains("dimension 0 has size 0", Fails(zeroDimension));
        Assert.Contains("bad.idx", Fails(wrongMagic));
        Assert.Contains("corrupt gzip", Fails([0x1f, 0x8b, 1, 2, 3]));
        Assert.Contains("does not exist", Assert.Throws<DataFormatException>(() => IdxFile.Read(Path.Combine(_folder, "missing"))).Message);
    }

    [Fact]
    public void ImageAndLabelCountsMustAgree()
    {
        string images = WriteBytes("i.idx", IdxFile.ToBytes(new IdxArray([2, 2, 2], new byte[8])));
        string labels = WriteBytes("l.idx", IdxFile.ToBytes(new IdxArray([3], new byte[3])));
        Assert.Contains("holds 3 labels but", Assert.Throws<DataFormatException>(() => ImageDatasets.ImagesFromIdx("x", images, labels)).Message);
        Assert.Contains("images need 3 dimensions", Assert.Throws<DataFormatException>(() => ImageDatasets.ImagesFromIdx("x", labels, labels)).Message);
    }

    [Fact]
    public void ReadsTheNpmDigitFormat()
    {
        string folder = Path.Combine(_folder, "digits");
        Directory.CreateDirectory(folder);
        for (int d = 0; d < 10; d++)
        {
            // digit d: d + 1 images, pixel j of image i is ((d + i + j) % 10) / 10
            var values = Enumerable.Range(0, (d + 1) * 784).Select(n => ((d + n / 784 + n % 784) % 10) / 10.0);
            File.WriteAllText(Path.Combine(folder, $"{d}.json"), "{ \"data\": [" + string.Join(",", values.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "] }");
        }
        var set = ImageDatasets.LoadMnistDigits(folder);
        Assert.Equal(55, set.Count);
        Assert.Equal(2, set.Labels![3]);   // images 0 | 1 2 | 3 4 5 | 6 …: image 3 is the first 2, image 6 the first 3
        Assert.Equal(3, set.Labels[6]);
        Assert.Equal(0.5, set.Image(3)[3]); // digit 2, i = 0, j = 3 → 5/10
        File.WriteAllText(Path.Combine(folder, "4.json"), "{ \"data\": [0.5, 2] }");
        Assert.Contains("intensity 2 outside [0, 1]", Assert.Throws<DataFormatException>(() => ImageDatasets.LoadMnistDigits(folder)).Message);
        File.WriteAllText(Path.Combine(folder, "4.json"), "{ \"data\": [0.5, 0.25] }");
        Assert.Contains("not a whole number of 28×28 images", Assert.Throws<DataFormatException>(() => ImageDatasets.LoadMnistDigits(folder)).Message);
        File.WriteAllText(Path.Combine(folder, "4.json"), "{ \"data\": [" + string.Join(",", Enumerable.Repeat("0", 784)) + "] }");
        Assert.Equal(51, ImageDatasets.LoadMnistDigits(folder).Count);
        File.Delete(Path.Combine(folder, "7.json"));
        Assert.Contains("npm install", Assert.Throws<DataFormatException>(() => ImageDatasets.LoadMnistDigits(folder)).Message);
    }
}
