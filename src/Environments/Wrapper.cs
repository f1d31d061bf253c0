namespace DqnStudy.Environments;

/// <summary>Base of every wrapper (Gymnasium's gymnasium.Wrapper): forwards everything to <see cref="Inner"/>
/// unless overridden, and reaches the innermost environment through <see cref="Unwrapped"/>.</summary>
public abstract class Wrapper : IEnvironment
{
    /// <param name="inner">The wrapped environment.</param>
    /// <param name="id">The id this layer reports (a registered variant's own id); null keeps the inner id.</param>
    protected Wrapper(IEnvironment inner, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
        _id = id;
    }

    private readonly string? _id;

    public IEnvironment Inner { get; }

    public IEnvironment Unwrapped => Inner.Unwrapped;

    public virtual string Id => _id ?? Inner.Id;

    public virtual Box ObservationSpace => Inner.ObservationSpace;

    public virtual Discrete ActionSpace => Inner.ActionSpace;

    public virtual IReadOnlyDictionary<string, object> LastInfo => Inner.LastInfo;

    public virtual ReadOnlySpan<float> Reset(int? seed = null, ResetOptions? options = null) => Inner.Reset(seed, options);

    public virtual StepResult Step(int action) => Inner.Step(action);

    public override string ToString() => $"{GetType().Name}<{Inner}>";
}

/// <summary>Helpers over wrapper stacks.</summary>
public static class EnvironmentExtensions
{
    /// <summary>The outermost layer of type T in the stack (the environment itself included), or null.</summary>
    public static T? Find<T>(this IEnvironment environment)
        where T : class, IEnvironment
    {
        for (IEnvironment? current = environment; current is not null; current = (current as Wrapper)?.Inner)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
