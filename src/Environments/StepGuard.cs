namespace DqnStudy.Environments;

/// <summary>The checks every Step makes before it acts: Reset first, no Step after the episode ended, the action
/// inside the space; one wording for every environment.</summary>
internal static class StepGuard
{
    public static void Check(string id, bool running, bool everStarted, Discrete actionSpace, int action)
    {
        if (!running)
        {
            throw new InvalidOperationException(everStarted
                ? $"{id}: Step was called after the episode terminated; call Reset first."
                : $"{id}: Step was called before Reset; call Reset first.");
        }

        if (!actionSpace.Contains(action))
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, $"action {action} is not in {actionSpace}.");
        }
    }
}
