using System.Text.Json.Nodes;

namespace Vinfer.Tests.Cli;

/// <summary><c>vinfer fit lda</c>: outputs on good input; one error, exit code 1 and no file on bad input.</summary>
public class LdaFitCommandTests : CliTestFolder
{
    private static string Text => string.Join('\n', Enumerable.Range(0, 40).Select(i => i % 2 == 0
        ? "apple banana cherry apple banana fruit orchard harvest"
        : "kernel compiler linker kernel debugger binary library")) + "\n";

    [Theory]
    [InlineData("cavi")]
    [InlineData("svi")]
    public void FitsTextAndWritesSummaryProportionsAndTopWords(string method)
    {
        string data = Write("corpus.txt", Text);
        string outDir = Path.Combine(Folder, "out");
        string[] extra = method == "svi" ? ["--batch-size", "8"] : [];
        var (code, stdout, err) = Run(["fit", "lda", "--data", data, "--topics", "2", "--method", method, "--passes", "20", "--holdout", "0.1", "--out", outDir, .. extra]);
        Assert.True(code == 0, err);
        Assert.Contains("topic  0:", stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal("lda", (string?)summary["model"]);
        Assert.Equal(method, (string?)summary["method"]);
        Assert.Equal(36, (int)summary["documents"]!);
        Assert.Equal(4, (int)summary["held_out_documents"]!);
        Assert.True((double)summary["bound_perplexity"]! > 1);
        Assert.True((double)summary["held_out_perplexity"]! > 1);
        Assert.Equal(41, File.ReadAllLines(Path.Combine(outDir, "doc_topics.csv")).Length);
        string table = File.ReadAllText(Path.Combine(outDir, "topics.md"));
        Assert.Contains("| 0 |", table);
        // Two clean themes: one topic's top words are the fruit words, the other's the software words.
        var topics = summary["topics_top_words"]!.AsArray().Select(t => t!["words"]!.AsArray().Take(3).Select(w => (string)w!).ToHashSet()).ToList();
        Assert.Contains(topics, t => t.Contains("apple") && t.Contains("banana"));
        Assert.Contains(topics, t => t.Contains("kernel"));
    }

    [Theory]
    [InlineData("bad.csv", "doc,word,count\n0,0,1\n1,1,-2\n", "line 3")]
    [InlineData("stop.txt", "the and of\nan a\n", "empty vocabulary")]
    public void BadCorpusFailsWithOneErrorAndWritesNothing(string name, string content, string expected)
    {
        string data = Write(name, content);
        string outDir = Path.Combine(Folder, "out");
        var (code, _, err) = Run("fit", "lda", "--data", data, "--topics", "2", "--out", outDir);
        Assert.Equal(1, code);
        Assert.Contains(expected, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void BatchSizeLargerThanTheDataFailsAndWritesNothing()
    {
        string data = Write("corpus.txt", Text);
        string outDir = Path.Combine(Folder, "out");
        var (code, _, err) = Run("fit", "lda", "--data", data, "--topics", "2", "--method", "svi", "--batch-size", "41", "--out", outDir);
        Assert.Equal(1, code);
        Assert.Contains("41", err);
        Assert.Contains("40", err);
        Assert.False(Directory.Exists(outDir));
        Assert.Equal(1, Run("fit", "lda", "--data", data, "--topics", "0").Code);
        Assert.Equal(1, Run("fit", "lda", "--data", data, "--topics", "2", "--method", "gibbs").Code);
    }
}
