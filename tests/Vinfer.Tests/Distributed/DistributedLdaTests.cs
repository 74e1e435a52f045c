using System.Globalization;
using System.Text;
using Vinfer.Tests.Cli;
using Vinfer.Tests.Conjugate;
using Xunit;

namespace Vinfer.Tests.Distributed;

/// <summary>
/// <c>mpirun -np P vinfer fit lda --data corpus.csv --distributed</c> against the single-process fit: batch CAVI and
/// online SVI (global minibatches, each rank's E-step on the documents it owns, one allreduce of the K×V expected counts
/// per step) give every figure of summary.json (ELBO trace, topics' top words and probabilities) and every proportion of
/// doc_topics.csv within 1e-10 relative; more ranks than documents is one clear error.
/// </summary>
public class DistributedLdaTests : CliTestFolder
{
    private string Corpus(int documents)
    {
        var (corpus, _) = LdaSyntheticCorpus.Draw(3, 30, documents, 40, 0.5, 0.2, 11);
        var csv = new StringBuilder("doc,word,count\n");
        for (int d = 0; d < corpus.DocumentCount; d++)
        {
            var words = corpus.DocumentWords(d);
            var counts = corpus.DocumentCounts(d);
            for (int j = 0; j < words.Length; j++) csv.Append(CultureInfo.InvariantCulture, $"{d},{words[j]},{counts[j]}\n");
        }
        return Write("corpus.csv", csv.ToString());
    }

    private string Out(string name) => Path.Combine(Folder, name);

    private void AssertSameFit(string single, string distributed)
    {
        MpiJob.AssertSameJson(Path.Combine(Out(single), "summary.json"), Path.Combine(Out(distributed), "summary.json"));
        Assert.Equal(File.ReadAllText(Path.Combine(Out(single), "topics.md")), File.ReadAllText(Path.Combine(Out(distributed), "topics.md")));
        var e = File.ReadAllLines(Path.Combine(Out(single), "doc_topics.csv"));
        var a = File.ReadAllLines(Path.Combine(Out(distributed), "doc_topics.csv"));
        Assert.Equal(e.Length, a.Length);
        Assert.Equal(e[0], a[0]);
        for (int i = 1; i < e.Length; i++)
        {
            var x = e[i].Split(',');
            var y = a[i].Split(',');
            Assert.Equal(x[..2], y[..2]);
            for (int k = 2; k < x.Length; k++)
            {
                double u = double.Parse(x[k], CultureInfo.InvariantCulture), v = double.Parse(y[k], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(u - v) <= MpiJob.Tolerance * Math.Max(Math.Abs(u), Math.Abs(v)), $"doc_topics.csv line {i + 1} column {k + 1}: single {u:R}, distributed {v:R}");
            }
        }
    }

    [Fact]
    public void CaviOverTwoRanksEqualsTheSingleProcessFit()
    {
        string data = Corpus(61);
        string[] fit = ["fit", "lda", "--data", data, "--topics", "3", "--passes", "15", "--holdout", "0.1", "--seed", "3", "--threads", "2"];
        var single = ExternalTools.RunVinfer(300, [.. fit, "--out", Out("single")]);
        Assert.True(single.Code == 0, single.Err);
        var run = MpiJob.Run(2, null, [.. fit, "--distributed", "--out", Out("ranks2")]);
        Assert.True(run.Code == 0, run.Out + run.Err);
        Assert.Contains("distributed: 2 ranks", run.Err);
        AssertSameFit("single", "ranks2");
    }

    [Fact]
    public void SviOverTwoRanksEqualsTheSingleProcessFit()
    {
        string data = Corpus(61);
        string[] fit = ["fit", "lda", "--data", data, "--topics", "3", "--method", "svi", "--batch-size", "13", "--passes", "4", "--seed", "5", "--threads", "2"];
        var single = ExternalTools.RunVinfer(300, [.. fit, "--out", Out("single")]);
        Assert.True(single.Code == 0, single.Err);
        var run = MpiJob.Run(2, null, [.. fit, "--distributed", "--out", Out("svi2")]);
        Assert.True(run.Code == 0, run.Out + run.Err);
        AssertSameFit("single", "svi2");
    }

    [Fact]
    public void MoreRanksThanDocumentsIsOneClearError()
    {
        string data = Corpus(3);
        var run = MpiJob.Run(4, null, "fit", "lda", "--data", data, "--topics", "2", "--distributed", "--out", Out("none"));
        Assert.NotEqual(0, run.Code);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.Err, "more ranks than rows: 4 ranks for 3 rows"));
        Assert.False(Directory.Exists(Out("none")));
    }
}
