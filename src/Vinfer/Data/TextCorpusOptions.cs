namespace Vinfer.Data;

/// <summary>How <see cref="TextCorpus"/> turns lines of text into document-term counts.</summary>
public sealed record TextCorpusOptions
{
    /// <summary>Lower-case every token before counting (default true).</summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>Leave out <see cref="StopWords.English"/> (default true).</summary>
    public bool RemoveStopWords { get; init; } = true;

    /// <summary>Tokens shorter than this many characters are dropped (default 2, as scikit-learn's token pattern).</summary>
    public int MinimumTokenLength { get; init; } = 2;

    /// <summary>Drop tokens made only of digits (default true: version numbers and sizes carry no topic).</summary>
    public bool RemoveNumbers { get; init; } = true;

    /// <summary>Keep only words that occur in at least this many documents (default 1).</summary>
    public int MinimumDocumentFrequency { get; init; } = 1;

    /// <summary>When set, keep only this many words, the most frequent over the corpus (ties by spelling).</summary>
    public int? VocabularySize { get; init; }

    /// <summary>Throws with a clear message when an option is out of range.</summary>
    public void Validate()
    {
        if (MinimumTokenLength < 1) throw new ArgumentOutOfRangeException(nameof(MinimumTokenLength), MinimumTokenLength, "must be at least 1.");
        if (MinimumDocumentFrequency < 1) throw new ArgumentOutOfRangeException(nameof(MinimumDocumentFrequency), MinimumDocumentFrequency, "must be at least 1.");
        if (VocabularySize is < 1) throw new ArgumentOutOfRangeException(nameof(VocabularySize), VocabularySize, "must be at least 1.");
    }
}
