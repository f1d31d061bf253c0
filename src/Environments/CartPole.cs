namespace DqnStudy.Environments;

/// <summary>Gymnasium's CartPole-v1 (classic_control/cartpole.py): Euler integration in float64,
/// state [x, x_dot, theta, theta_dot], observation its float32 cast.</summary>
public sealed class CartPole : ClassicControlEnvironment
{
    public const double Gravity = 9.8;
    public const double MassCart = 1.0;
    public const double MassPole = 0.1;
    public const double Length = 0.5; // half the pole's length
    public const double ForceMag = 10.0;
    public const double Tau = 0.02;
    public const double XThreshold = 2.4;

    /// <summary>12·2·π/360 as Gymnasium writes it: one ulp below radians(12), which changes which states terminate.</summary>
    public const double ThetaThresholdRadians = 12 * 2 * Math.PI / 360;

    private const double TotalMass = MassPole + MassCart;
    private const double PoleMassLength = MassPole * Length;

    public CartPole(bool suttonBartoReward = false)
        : base("CartPole-v1", ObservationBox(), new Discrete(2), stateSize: 4)
    {
        SuttonBartoReward = suttonBartoReward;
    }

    /// <summary>Gymnasium's <c>sutton_barto_reward</c>: 0 per step and −1 on the terminating step.</summary>
    public bool SuttonBartoReward { get; }

    private protected override void SampleStartState(Random rng, ResetOptions? options, Span<double> state)
    {
        (double low, double high) = ResetOptions.Resolve(options, -0.05, 0.05);
        for (int i = 0; i < 4; i++)
        {
            state[i] = Uniform(rng, low, high);
        }
    }

    private protected override bool Advance(int action, Span<double> state, out double reward)
    {
        double x = state[0], xDot = state[1], theta = state[2], thetaDot = state[3];
        double force = action == 1 ? ForceMag : -ForceMag;
        double cosTheta = Math.Cos(theta);
        double sinTheta = Math.Sin(theta);

        // Same operations in the same order as cartpole.py, so the float64 results are bit-identical.
        double temp = (force + PoleMassLength * (thetaDot * thetaDot) * sinTheta) / TotalMass;
        double thetaAcc = (Gravity * sinTheta - cosTheta * temp)
            / (Length * (4.0 / 3.0 - MassPole * (cosTheta * cosTheta) / TotalMass));
        double xAcc = temp - PoleMassLength * thetaAcc * cosTheta / TotalMass;

        x = x + Tau * xDot;
        xDot = xDot + Tau * xAcc;
        theta = theta + Tau * thetaDot;
        thetaDot = thetaDot + Tau * thetaAcc;
        state[0] = x;
        state[1] = xDot;
        state[2] = theta;
        state[3] = thetaDot;

        // Decided on the float64 state: the float32 observation can lie beyond a threshold the state has not crossed.
        bool terminated = x < -XThreshold || x > XThreshold || theta < -ThetaThresholdRadians || theta > ThetaThresholdRadians;
        reward = SuttonBartoReward ? (terminated ? -1.0 : 0.0) : 1.0;
        return terminated;
    }

    private protected override void WriteObservation(ReadOnlySpan<double> state, Span<float> observation)
    {
        observation[0] = (float)state[0];
        observation[1] = (float)state[1];
        observation[2] = (float)state[2];
        observation[3] = (float)state[3];
    }

    private static Box ObservationBox()
    {
        float[] high = [(float)(XThreshold * 2), float.PositiveInfinity, (float)(ThetaThresholdRadians * 2), float.PositiveInfinity];
        float[] low = [-high[0], -high[1], -high[2], -high[3]];
        return new Box(low, high);
    }
}
