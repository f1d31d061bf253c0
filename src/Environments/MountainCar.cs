namespace DqnStudy.Environments;

/// <summary>Gymnasium's MountainCar-v0 (classic_control/mountain_car.py): state [position, velocity]
/// in float64, observation its float32 cast; reward −1 on every step.</summary>
public sealed class MountainCar : ClassicControlEnvironment
{
    public const double MinPosition = -1.2;
    public const double MaxPosition = 0.6;
    public const double MaxSpeed = 0.07;
    public const double GoalPosition = 0.5;
    public const double Force = 0.001;
    public const double Gravity = 0.0025;

    public MountainCar(double goalVelocity = 0.0)
        : base("MountainCar-v0", ObservationBox(), new Discrete(3), stateSize: 2)
    {
        if (!double.IsFinite(goalVelocity))
        {
            throw new ArgumentOutOfRangeException(nameof(goalVelocity), goalVelocity, "goal_velocity must be finite.");
        }

        GoalVelocity = goalVelocity;
    }

    /// <summary>Gymnasium's <c>goal_velocity</c>: the episode ends at the goal only at this velocity or more.</summary>
    public double GoalVelocity { get; }

    private protected override void SampleStartState(Random rng, ResetOptions? options, Span<double> state)
    {
        (double low, double high) = ResetOptions.Resolve(options, -0.6, -0.4);
        state[0] = Uniform(rng, low, high);
        state[1] = 0.0;
    }

    private protected override bool Advance(int action, Span<double> state, out double reward)
    {
        double position = state[0], velocity = state[1];

        // The two increments are summed before they reach velocity, as in mountain_car.py.
        velocity += (action - 1) * Force + Math.Cos(3 * position) * (-Gravity);
        velocity = Math.Min(Math.Max(velocity, -MaxSpeed), MaxSpeed);
        position += velocity;
        position = Math.Min(Math.Max(position, MinPosition), MaxPosition);
        if (position == MinPosition && velocity < 0)
        {
            velocity = 0.0; // the left wall is inelastic; the right edge has no such rule
        }

        state[0] = position;
        state[1] = velocity;
        reward = -1.0;
        return position >= GoalPosition && velocity >= GoalVelocity;
    }

    private protected override void WriteObservation(ReadOnlySpan<double> state, Span<float> observation)
    {
        observation[0] = (float)state[0];
        observation[1] = (float)state[1];
    }

    private static Box ObservationBox() =>
        new([(float)MinPosition, (float)-MaxSpeed], [(float)MaxPosition, (float)MaxSpeed]);
}
