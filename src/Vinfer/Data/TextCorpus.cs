using System.Text;

namespace Vinfer.Data;

/// <summary>
/// Plain text, one document per line, as document-term counts: tokens are maximal runs of letters, digits and
/// underscores (scikit-learn's default token pattern), optionally lower-cased, with stop words, short tokens and
/// numbers dropped; the vocabulary keeps words with enough document frequency and, optionally, only the most frequent
/// ones, in alphabetical order. Every line is a document, even one left with no word.
/// </summary>
public static class TextCorpus
{
    /// <summary>Reads <paramref name="path"/> (UTF-8 text, one document per line).</summary>
    public static DocumentTermCounts ReadFile(string path, TextCorpusOptions options)
    {
        string text = DataFile.ReadAllText(path);
        var lines = text.Split('\n');
        int count = lines.Length;
        if (count > 0 && lines[^1].Length == 0) count--;
        return FromLines(lines.Take(count).Select(l => l.TrimEnd('\r')).ToList(), options, path);
    }

    /// <summary>The tokens of one line, in order, as <paramref name="options"/> say.</summary>
    public static List<string> Tokenize(string line, TextCorpusOptions options)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(options);
        var tokens = new List<string>();
        var current = new StringBuilder();
        for (int i = 0; i <= line.Length; i++)
        {
            char c = i < line.Length ? line[i] : ' ';
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                current.Append(options.LowerCase ? char.ToLowerInvariant(c) : c);
                continue;
            }
            if (current.Length == 0) continue;
            string token = current.ToString();
            current.Clear();
            if (token.Length < options.MinimumTokenLength) continue;
            if (options.RemoveNumbers && token.All(char.IsDigit)) continue;
            if (options.RemoveStopWords && StopWords.English.Contains(options.LowerCase ? token : token.ToLowerInvariant())) continue;
            tokens.Add(token);
        }
        return tokens;
    }

    /// <summary>Counts the documents <paramref name="lines"/>; <paramref name="source"/> names them in error messages.</summary>
    public static DocumentTermCounts FromLines(IReadOnlyList<string> lines, TextCorpusOptions options, string source = "text")
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var documents = new List<Dictionary<string, int>>(lines.Count);
        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        var termFrequency = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in lines)
        {
            var bag = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string token in Tokenize(line, options)) bag[token] = bag.GetValueOrDefault(token) + 1;
            foreach (var (token, n) in bag)
            {
                documentFrequency[token] = documentFrequency.GetValueOrDefault(token) + 1;
                termFrequency[token] = termFrequency.GetValueOrDefault(token) + n;
            }
            documents.Add(bag);
        }
        IEnumerable<string> kept = documentFrequency.Where(p => p.Value >= options.MinimumDocumentFrequency).Select(p => p.Key);
        if (options.VocabularySize is int size)
            kept = kept.OrderByDescending(w => termFrequency[w]).ThenBy(w => w, StringComparer.Ordinal).Take(size);
        var vocabulary = kept.OrderBy(w => w, StringComparer.Ordinal).ToArray();
        if (vocabulary.Length == 0)
            throw new DataFormatException($"{source}: the corpus has an empty vocabulary: no word of {lines.Count} documents is left after tokenizing (minimum document frequency {options.MinimumDocumentFrequency}, stop words {(options.RemoveStopWords ? "removed" : "kept")}).");
        var index = new Dictionary<string, int>(vocabulary.Length, StringComparer.Ordinal);
        for (int w = 0; w < vocabulary.Length; w++) index[vocabulary[w]] = w;
        var offsets = new int[documents.Count + 1];
        var words = new List<int>();
        var counts = new List<double>();
        for (int d = 0; d < documents.Count; d++)
        {
            foreach (var (w, n) in documents[d].Where(p => index.ContainsKey(p.Key)).Select(p => (index[p.Key], p.Value)).OrderBy(p => p.Item1))
            {
                words.Add(w);
                counts.Add(n);
            }
            offsets[d + 1] = words.Count;
        }
        var labels = Enumerable.Range(1, documents.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new DocumentTermCounts(labels, vocabulary, offsets, words.ToArray(), counts.ToArray());
    }
}
