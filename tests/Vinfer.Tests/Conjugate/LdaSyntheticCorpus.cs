using Vinfer.Data;
using Vinfer.Random;

namespace Vinfer.Tests.Conjugate;

/// <summary>A corpus drawn from LDA with known topics (seeded), and topic matching for recovery checks.</summary>
internal static class LdaSyntheticCorpus
{
    /// <summary>
    /// K topics over V words, β_k ~ Dir(<paramref name="topicConcentration"/>), documents of <paramref name="length"/>
    /// tokens with θ_d ~ Dir(<paramref name="documentConcentration"/>). Returns the corpus and the true topics (K rows of V).
    /// </summary>
    public static (DocumentTermCounts Corpus, double[] Topics) Draw(int topics, int vocabulary, int documents, int length,
        double documentConcentration, double topicConcentration, ulong seed)
    {
        var stream = new RandomStream(seed);
        var beta = new double[topics * vocabulary];
        Sample.Dirichlet(stream.NextKey(), Enumerable.Repeat(topicConcentration, vocabulary).ToArray(), beta);
        var theta = new double[documents * topics];
        Sample.Dirichlet(stream.NextKey(), Enumerable.Repeat(documentConcentration, topics).ToArray(), theta);
        var docIndex = new List<int>();
        var wordIndex = new List<int>();
        var counts = new List<double>();
        var p = new double[vocabulary];
        var tokens = new int[length];
        for (int d = 0; d < documents; d++)
        {
            Array.Clear(p);
            for (int k = 0; k < topics; k++)
                for (int v = 0; v < vocabulary; v++) p[v] += theta[d * topics + k] * beta[k * vocabulary + v];
            Sample.Categorical(stream.NextKey(), p, tokens);
            foreach (int w in tokens) { docIndex.Add(d); wordIndex.Add(w); counts.Add(1); }
        }
        var corpus = DocumentTermCounts.FromTriplets(
            Enumerable.Range(0, documents).Select(i => $"d{i}").ToArray(), Enumerable.Range(0, vocabulary).Select(i => $"w{i}").ToArray(),
            docIndex.ToArray(), wordIndex.ToArray(), counts.ToArray());
        return (corpus, beta);
    }

    /// <summary>Cosine similarity of row <paramref name="a"/> of x and row <paramref name="b"/> of y (rows of <paramref name="columns"/>).</summary>
    public static double Cosine(double[] x, int a, double[] y, int b, int columns)
    {
        double dot = 0, xx = 0, yy = 0;
        for (int v = 0; v < columns; v++)
        {
            double p = x[a * columns + v], q = y[b * columns + v];
            dot += p * q; xx += p * p; yy += q * q;
        }
        return dot / Math.Sqrt(xx * yy);
    }

    /// <summary>
    /// The matching of true to fitted topics that maximizes the total cosine (the assignment problem the Hungarian
    /// method solves; exhaustive over permutations here, K ≤ 7): the matched cosines, in true-topic order.
    /// </summary>
    public static double[] MatchedCosines(double[] truth, double[] fitted, int topics, int columns)
    {
        var similarity = new double[topics, topics];
        for (int a = 0; a < topics; a++)
            for (int b = 0; b < topics; b++) similarity[a, b] = Cosine(truth, a, fitted, b, columns);
        double best = double.NegativeInfinity;
        int[]? bestPermutation = null;
        foreach (var permutation in Permutations(Enumerable.Range(0, topics).ToArray(), 0))
        {
            double total = 0;
            for (int a = 0; a < topics; a++) total += similarity[a, permutation[a]];
            if (total > best) { best = total; bestPermutation = (int[])permutation.Clone(); }
        }
        return Enumerable.Range(0, topics).Select(a => similarity[a, bestPermutation![a]]).ToArray();
    }

    private static IEnumerable<int[]> Permutations(int[] items, int start)
    {
        if (start == items.Length - 1) { yield return items; yield break; }
        for (int i = start; i < items.Length; i++)
        {
            (items[start], items[i]) = (items[i], items[start]);
            foreach (var p in Permutations(items, start + 1)) yield return p;
            (items[start], items[i]) = (items[i], items[start]);
        }
    }
}
