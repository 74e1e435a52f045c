using Vinfer.Data;

namespace Vinfer.Tests.Data;

/// <summary>Tokenizing and counting plain text, one document per line.</summary>
public class TextCorpusTests
{
    private static readonly TextCorpusOptions Defaults = new();

    [Fact]
    public void TokenizerLowerCasesAndDropsStopWordsShortTokensAndNumbers()
    {
        var tokens = TextCorpus.Tokenize("The Quick brown fox's 42 jumps_over a b 3D files, (GNU) C++ Éclair naïve", Defaults);
        Assert.Equal(["quick", "brown", "fox", "jumps_over", "3d", "files", "gnu", "éclair", "naïve"], tokens);
    }

    [Fact]
    public void TokenizerOptionsCanKeepCaseStopWordsAndNumbers()
    {
        var tokens = TextCorpus.Tokenize("The 42 is A", new TextCorpusOptions { LowerCase = false, RemoveStopWords = false, RemoveNumbers = false, MinimumTokenLength = 1 });
        Assert.Equal(["The", "42", "is", "A"], tokens);
        Assert.Equal(["42"], TextCorpus.Tokenize("The 42 is A", new TextCorpusOptions { RemoveNumbers = false }));
    }

    [Fact]
    public void CountsDocumentsWithMinimumDocumentFrequencyAndVocabularySize()
    {
        string[] lines = ["apple banana apple", "Apple cherry", "apple banana date", "the of and"];
        var all = TextCorpus.FromLines(lines, Defaults);
        Assert.Equal(["apple", "banana", "cherry", "date"], all.Vocabulary);
        Assert.Equal(4, all.DocumentCount);
        Assert.Equal([0, 1], all.DocumentWords(0).ToArray());
        Assert.Equal([2.0, 1.0], all.DocumentCounts(0).ToArray());
        Assert.Equal(0, all.DocumentWords(3).Length);
        Assert.Equal(8, all.TotalCount);

        var frequent = TextCorpus.FromLines(lines, Defaults with { MinimumDocumentFrequency = 2 });
        Assert.Equal(["apple", "banana"], frequent.Vocabulary);
        Assert.Equal(6, frequent.TotalCount);

        var top = TextCorpus.FromLines(lines, Defaults with { VocabularySize = 1 });
        Assert.Equal(["apple"], top.Vocabulary);
        Assert.Equal([1.0], top.DocumentCounts(1).ToArray());
    }

    [Fact]
    public void EmptyVocabularyIsOneClearError()
    {
        var e = Assert.Throws<DataFormatException>(() => TextCorpus.FromLines(["the and of", "a an"], Defaults, "stop.txt"));
        Assert.Contains("stop.txt", e.Message);
        Assert.Contains("empty vocabulary", e.Message);
        Assert.Throws<DataFormatException>(() => TextCorpus.FromLines(["apple", "banana"], Defaults with { MinimumDocumentFrequency = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TextCorpus.FromLines(["apple"], Defaults with { VocabularySize = 0 }));
    }
}
