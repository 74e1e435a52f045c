using Vinfer.Data;

namespace Vinfer.Tests.Data;

/// <summary>Document-term count CSV: numbering, merging, and one clear error per kind of bad input.</summary>
public class DocumentTermCsvTests
{
    [Fact]
    public void IntegerLabelsAreIndicesAndRepeatedPairsAddUp()
    {
        var c = DocumentTermCsv.Parse("doc,word,count\n0,3,2\n2,1,1\n0,3,1\n0,0,0\n", "t.csv");
        Assert.Equal(3, c.DocumentCount);
        Assert.Equal(4, c.VocabularySize);
        Assert.Equal([3], c.DocumentWords(0).ToArray());
        Assert.Equal([3.0], c.DocumentCounts(0).ToArray());
        Assert.Equal(0, c.DocumentWords(1).Length);
        Assert.Equal(4, c.TotalCount);
    }

    [Fact]
    public void StringLabelsAreNumberedInOrderOfAppearance()
    {
        var c = DocumentTermCsv.Parse("count,doc,word\n1,b,zeta\n2,a,alpha\n3,b,alpha\n", "t.csv");
        Assert.Equal(["b", "a"], c.Documents);
        Assert.Equal(["zeta", "alpha"], c.Vocabulary);
        Assert.Equal([0, 1], c.DocumentWords(0).ToArray());
        Assert.Equal([1.0, 3.0], c.DocumentCounts(0).ToArray());
    }

    [Fact]
    public void NegativeCountNamesTheLineAndValue()
    {
        var e = Assert.Throws<DataFormatException>(() => DocumentTermCsv.Parse("doc,word,count\n0,1,2\n0,2,-3\n", "neg.csv"));
        Assert.Contains("neg.csv", e.Message);
        Assert.Contains("line 3", e.Message);
        Assert.Contains("-3", e.Message);
    }

    [Fact]
    public void EmptyVocabularyBadHeaderAndBadNumbersAreErrors()
    {
        Assert.Contains("empty vocabulary", Assert.Throws<DataFormatException>(() => DocumentTermCsv.Parse("doc,word,count\n", "e.csv")).Message);
        Assert.Contains("empty vocabulary", Assert.Throws<DataFormatException>(() => DocumentTermCsv.Parse("doc,word,count\n0,0,0\n", "e.csv")).Message);
        Assert.Contains("header", Assert.Throws<DataFormatException>(() => DocumentTermCsv.Parse("d,w,n\n0,0,1\n", "h.csv")).Message);
        Assert.Contains("'x'", Assert.Throws<DataFormatException>(() => DocumentTermCsv.Parse("doc,word,count\n0,0,x\n", "x.csv")).Message);
        Assert.Contains("NaN", Assert.Throws<DataFormatException>(() => DocumentTermCsv.Parse("doc,word,count\n0,0,NaN\n", "n.csv")).Message);
        Assert.Contains("2 fields", Assert.Throws<DataFormatException>(() => DocumentTermCsv.Parse("doc,word,count\n0,0\n", "r.csv")).Message);
    }
}
