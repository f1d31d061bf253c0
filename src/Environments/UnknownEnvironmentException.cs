namespace DqnStudy.Environments;

/// <summary>Make was asked for an id that is not registered; the message lists the ids that are.</summary>
public sealed class UnknownEnvironmentException : ArgumentException
{
    public UnknownEnvironmentException(string id, IReadOnlyList<string> registeredIds)
        : base($"Unknown environment id '{id}'. Registered ids: {string.Join(", ", registeredIds)}.", "id")
    {
        Id = id;
        RegisteredIds = registeredIds;
    }

    public string Id { get; }

    public IReadOnlyList<string> RegisteredIds { get; }
}
