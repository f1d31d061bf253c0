using System.Collections.ObjectModel;

namespace DqnStudy.Environments;

/// <summary>The info map shared by every Reset/Step that has nothing to report, so no step allocates one.</summary>
public static class EnvironmentInfo
{
    public static IReadOnlyDictionary<string, object> Empty { get; } =
        new ReadOnlyDictionary<string, object>(new Dictionary<string, object>());
}
