namespace Vinfer.Data;

/// <summary>
/// A corpus as sparse document-term counts (compressed rows: document d's distinct words are
/// <c>Words[Offsets[d]..Offsets[d+1]]</c> with their counts), with the document labels and the vocabulary: the
/// bag-of-words input of topic models such as latent Dirichlet allocation (Blei, Ng and Jordan 2003).
/// </summary>
public sealed class DocumentTermCounts
{
    private readonly string[] _documents;
    private readonly string[] _vocabulary;
    private readonly int[] _offsets;
    private readonly int[] _words;
    private readonly double[] _counts;

    /// <summary>
    /// A corpus from compressed rows: <paramref name="offsets"/> has one entry per document plus one, non-decreasing from 0
    /// to the number of entries; every word index is in [0, vocabulary size) and appears at most once per document; every
    /// count is finite and positive.
    /// </summary>
    public DocumentTermCounts(IReadOnlyList<string> documents, IReadOnlyList<string> vocabulary, int[] offsets, int[] words, double[] counts)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(counts);
        if (vocabulary.Count < 1) throw new DataFormatException("the corpus has an empty vocabulary: no word is left to model.");
        if (offsets.Length != documents.Count + 1 || offsets[0] != 0 || offsets[^1] != words.Length || counts.Length != words.Length)
            throw new ArgumentException($"offsets ({offsets.Length} entries) must run from 0 to the {words.Length} entries over {documents.Count} documents, with one count per entry ({counts.Length}).", nameof(offsets));
        var seen = new int[vocabulary.Count];
        Array.Fill(seen, -1);
        for (int d = 0; d < documents.Count; d++)
        {
            if (offsets[d + 1] < offsets[d]) throw new ArgumentException($"offsets[{d + 1}] = {offsets[d + 1]} is below offsets[{d}] = {offsets[d]}.", nameof(offsets));
            for (int i = offsets[d]; i < offsets[d + 1]; i++)
            {
                int w = words[i];
                if ((uint)w >= (uint)vocabulary.Count) throw new ArgumentOutOfRangeException(nameof(words), w, $"document {documents[d]}: word index out of the vocabulary of {vocabulary.Count}.");
                if (seen[w] == d) throw new ArgumentException($"document {documents[d]}: word {vocabulary[w]} appears twice; merge its counts.", nameof(words));
                seen[w] = d;
                if (!(counts[i] > 0) || double.IsInfinity(counts[i]))
                    throw new DataFormatException($"document {documents[d]}, word {vocabulary[w]}: count is {DataFormatException.FormatNumber(counts[i])}; counts must be finite and positive.");
            }
        }
        _documents = [.. documents];
        _vocabulary = [.. vocabulary];
        _offsets = offsets;
        _words = words;
        _counts = counts;
        double total = 0;
        foreach (double c in counts) total += c;
        TotalCount = total;
    }

    /// <summary>The number of documents, D.</summary>
    public int DocumentCount => _documents.Length;

    /// <summary>The vocabulary size, V.</summary>
    public int VocabularySize => _vocabulary.Length;

    /// <summary>The documents' labels, in row order.</summary>
    public IReadOnlyList<string> Documents => _documents;

    /// <summary>The words, by index.</summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary;

    /// <summary>Row offsets: document d's entries are [Offsets[d], Offsets[d+1]).</summary>
    public ReadOnlySpan<int> Offsets => _offsets;

    /// <summary>The word index of every entry.</summary>
    public ReadOnlySpan<int> Words => _words;

    /// <summary>The count of every entry.</summary>
    public ReadOnlySpan<double> Counts => _counts;

    /// <summary>The number of stored (document, word) entries.</summary>
    public int EntryCount => _words.Length;

    /// <summary>The sum of all counts (the number of tokens).</summary>
    public double TotalCount { get; }

    /// <summary>Document <paramref name="document"/>'s distinct words.</summary>
    public ReadOnlySpan<int> DocumentWords(int document) => _words.AsSpan(_offsets[document], _offsets[document + 1] - _offsets[document]);

    /// <summary>Document <paramref name="document"/>'s counts, aligned with <see cref="DocumentWords"/>.</summary>
    public ReadOnlySpan<double> DocumentCounts(int document) => _counts.AsSpan(_offsets[document], _offsets[document + 1] - _offsets[document]);

    /// <summary>The documents <paramref name="documents"/> (indices, in the order given) over the same vocabulary.</summary>
    public DocumentTermCounts Subset(ReadOnlySpan<int> documents)
    {
        var labels = new string[documents.Length];
        var offsets = new int[documents.Length + 1];
        for (int i = 0; i < documents.Length; i++)
        {
            int d = documents[i];
            if ((uint)d >= (uint)DocumentCount) throw new ArgumentOutOfRangeException(nameof(documents), d, $"document index out of the {DocumentCount} documents.");
            labels[i] = _documents[d];
            offsets[i + 1] = offsets[i] + _offsets[d + 1] - _offsets[d];
        }
        var words = new int[offsets[^1]];
        var counts = new double[offsets[^1]];
        for (int i = 0; i < documents.Length; i++)
        {
            DocumentWords(documents[i]).CopyTo(words.AsSpan(offsets[i]));
            DocumentCounts(documents[i]).CopyTo(counts.AsSpan(offsets[i]));
        }
        return new DocumentTermCounts(labels, _vocabulary, offsets, words, counts);
    }

    /// <summary>
    /// A corpus from (document, word, count) triplets over documents 0..D−1 and words 0..V−1: counts of a repeated pair
    /// add up, zero counts are dropped, a negative or non-finite count is an error.
    /// </summary>
    public static DocumentTermCounts FromTriplets(IReadOnlyList<string> documents, IReadOnlyList<string> vocabulary,
        ReadOnlySpan<int> documentIndices, ReadOnlySpan<int> wordIndices, ReadOnlySpan<double> counts)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (documentIndices.Length != wordIndices.Length || counts.Length != wordIndices.Length)
            throw new ArgumentException($"triplet columns differ in length: {documentIndices.Length} documents, {wordIndices.Length} words, {counts.Length} counts.", nameof(counts));
        // Sort the entries by (document, word) and merge repeats: memory linear in the entries, no per-document tables.
        var keys = new long[counts.Length];
        var values = new double[counts.Length];
        int kept = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            int d = documentIndices[i], w = wordIndices[i];
            double c = counts[i];
            if (!(c >= 0) || double.IsInfinity(c))
                throw new DataFormatException($"entry {i + 1} (document {((uint)d < (uint)documents.Count ? documents[d] : d.ToString(System.Globalization.CultureInfo.InvariantCulture))}): count is {DataFormatException.FormatNumber(c)}; counts must be finite and non-negative.");
            if ((uint)d >= (uint)documents.Count) throw new ArgumentOutOfRangeException(nameof(documentIndices), d, $"document index out of the {documents.Count} documents.");
            if ((uint)w >= (uint)vocabulary.Count) throw new ArgumentOutOfRangeException(nameof(wordIndices), w, $"word index out of the vocabulary of {vocabulary.Count}.");
            if (c == 0) continue;
            keys[kept] = (long)d * vocabulary.Count + w;
            values[kept++] = c;
        }
        Array.Sort(keys, values, 0, kept);
        int unique = 0;
        for (int i = 0; i < kept; i++)
        {
            if (unique > 0 && keys[unique - 1] == keys[i]) { values[unique - 1] += values[i]; continue; }
            keys[unique] = keys[i];
            values[unique++] = values[i];
        }
        var offsets = new int[documents.Count + 1];
        var words = new int[unique];
        for (int i = 0; i < unique; i++)
        {
            offsets[keys[i] / vocabulary.Count + 1]++;
            words[i] = (int)(keys[i] % vocabulary.Count);
        }
        for (int d = 0; d < documents.Count; d++) offsets[d + 1] += offsets[d];
        Array.Resize(ref values, unique);
        return new DocumentTermCounts(documents, vocabulary, offsets, words, values);
    }
}
