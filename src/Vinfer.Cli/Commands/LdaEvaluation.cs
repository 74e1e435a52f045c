using Vinfer.Conjugate;
using Vinfer.Data;
using Vinfer.Distributed;

namespace Vinfer.Cli.Commands;

/// <summary>
/// The evaluation after a distributed LDA fit (the fresh E-steps behind doc_topics.csv, the bound perplexity and the
/// held-out perplexity; Hoffman, Blei and Bach 2010, §4) split over the ranks: each rank runs the E-step on its own
/// block of the training documents and on its block of the held-out documents, one allreduce sums the bounds, tokens
/// and sweeps, and one gather per document set brings the documents' topic concentrations to rank 0 in document order.
/// A document's E-step does not depend on the others, so the results equal the single-process evaluation up to the
/// order of the sums.
/// </summary>
internal static class LdaEvaluation
{
    /// <summary>
    /// The training and held-out fits over all documents (complete on rank 0; on the other ranks the sums are complete
    /// and the concentrations empty). <paramref name="ownTraining"/> is this rank's <paramref name="rows"/> of the training documents.
    /// </summary>
    public static (DocumentTopicFit Training, DocumentTopicFit? HeldOut) Distributed(
        LatentDirichletAllocation model, DocumentTermCounts ownTraining, DocumentTermCounts? heldOut, RowRange rows, ICommunicator communicator)
    {
        int rank = communicator.Rank, size = communicator.Size;
        var training = model.InferDocuments(ownTraining);
        DocumentTopicFit? ownHeldOut = null;
        int heldStart = 0, heldCount = 0;
        if (heldOut is not null)
        {
            // a block of the held-out documents per rank (possibly empty: there may be fewer of them than ranks)
            heldStart = (int)((long)heldOut.DocumentCount * rank / size);
            heldCount = (int)((long)heldOut.DocumentCount * (rank + 1) / size) - heldStart;
            if (heldCount > 0) ownHeldOut = model.InferDocuments(heldOut.Subset(Enumerable.Range(heldStart, heldCount).ToArray()));
        }
        var sums = new[] { training.DocumentBound, training.Tokens, training.Sweeps, ownHeldOut?.DocumentBound ?? 0, ownHeldOut?.Tokens ?? 0, ownHeldOut?.Sweeps ?? 0 };
        communicator.AllreduceSum(sums);
        int topics = training.Topics;
        var trainingConcentrations = GatherRows(training.Concentrations, rows.Count * topics, rows.Total * topics, communicator);
        var all = new DocumentTopicFit(trainingConcentrations, topics, sums[0], sums[1], (long)sums[2]);
        if (heldOut is null) return (all, null);
        var heldConcentrations = GatherRows(ownHeldOut is null ? [] : ownHeldOut.Concentrations, heldCount * topics, heldOut.DocumentCount * topics, communicator);
        return (all, new DocumentTopicFit(heldConcentrations, topics, sums[3], sums[4], (long)sums[5]));
    }

    /// <summary>Every rank's <paramref name="own"/> values in rank order on rank 0 (empty elsewhere): one allreduce of P counts, one gather.</summary>
    private static double[] GatherRows(ReadOnlySpan<double> own, int count, int total, ICommunicator communicator)
    {
        var counts = new double[communicator.Size];
        counts[communicator.Rank] = count;
        communicator.AllreduceSum(counts);
        var whole = new double[communicator.Rank == 0 ? total : 0];
        communicator.Gather(own, whole, counts.Select(c => (int)c).ToArray(), 0);
        return whole;
    }
}
