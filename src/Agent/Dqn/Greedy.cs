namespace DqnStudy.Agent.Dqn;

/// <summary>Argmax over a row of Q-values; ties go to the lowest index (torch.argmax's rule).</summary>
public static class Greedy
{
    public static int ArgMax(ReadOnlySpan<float> q)
    {
        int best = 0;
        for (int a = 1; a < q.Length; a++)
        {
            if (q[a] > q[best]) best = a;
        }
        return best;
    }
}
