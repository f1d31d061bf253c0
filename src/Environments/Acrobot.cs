namespace DqnStudy.Environments;

/// <summary>Gymnasium's Acrobot-v1 (classic_control/acrobot.py): one RK4 step of dt = 0.2 per action,
/// angles wrapped into [−π, π], velocities clipped; state [θ1, θ2, θ̇1, θ̇2] in float64, observation
/// [cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2] computed in double then cast to float32.</summary>
public sealed class Acrobot : ClassicControlEnvironment
{
    public const double Dt = 0.2;
    public const double LinkLength1 = 1.0;
    public const double LinkMass1 = 1.0;
    public const double LinkMass2 = 1.0;
    public const double LinkComPos1 = 0.5;
    public const double LinkComPos2 = 0.5;
    public const double LinkMoi = 1.0;
    public const double MaxVel1 = 4 * Math.PI;
    public const double MaxVel2 = 9 * Math.PI;

    private const double G = 9.8;

    // y = (θ1, θ2, θ̇1, θ̇2); the torque is held constant through the RK4 step (acrobot.py appends it
    // to the state with a zero derivative, which leaves it unchanged).
    private readonly double[] _k1 = new double[4];
    private readonly double[] _k2 = new double[4];
    private readonly double[] _k3 = new double[4];
    private readonly double[] _k4 = new double[4];
    private readonly double[] _y = new double[4];

    public Acrobot(string bookOrNips = "book")
        : base("Acrobot-v1", ObservationBox(), new Discrete(3), stateSize: 4)
    {
        BookOrNips = bookOrNips;
    }

    /// <summary>"book" (Sutton &amp; Barto, Gymnasium's default) or "nips" (drops the θ̇1² term from θ̈2).</summary>
    public string BookOrNips
    {
        get => Nips ? "nips" : "book";
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            Nips = value switch
            {
                "book" => false,
                "nips" => true,
                _ => throw new ArgumentException($"book_or_nips is '{value}' but must be 'book' or 'nips'.", nameof(value)),
            };
        }
    }

    private bool Nips { get; set; }

    /// <summary>The RK4 derivative of acrobot.py's _dsdt with the same operations in the same order
    /// (squares of variables through Math.Pow(x, 2), as numpy's ** calls pow; it differs from x*x in the last bit).</summary>
    internal static void Derivatives(ReadOnlySpan<double> y, double torque, bool nips, Span<double> dydt)
    {
        const double m1 = LinkMass1, m2 = LinkMass2, l1 = LinkLength1, lc1 = LinkComPos1, lc2 = LinkComPos2;
        const double i1 = LinkMoi, i2 = LinkMoi;
        double theta1 = y[0], theta2 = y[1], dtheta1 = y[2], dtheta2 = y[3];
        double a = torque;

        double d1 = m1 * (lc1 * lc1) + m2 * ((l1 * l1) + (lc2 * lc2) + 2 * l1 * lc2 * Math.Cos(theta2)) + i1 + i2;
        double d2 = m2 * ((lc2 * lc2) + l1 * lc2 * Math.Cos(theta2)) + i2;
        double phi2 = m2 * lc2 * G * Math.Cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * Math.Pow(dtheta2, 2) * Math.Sin(theta2)
            - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.Sin(theta2)
            + (m1 * lc1 + m2 * l1) * G * Math.Cos(theta1 - Math.PI / 2)
            + phi2;
        double ddtheta2 = nips
            ? (a + d2 / d1 * phi1 - phi2) / (m2 * (lc2 * lc2) + i2 - Math.Pow(d2, 2) / d1)
            : (a + d2 / d1 * phi1 - m2 * l1 * lc2 * Math.Pow(dtheta1, 2) * Math.Sin(theta2) - phi2)
                / (m2 * (lc2 * lc2) + i2 - Math.Pow(d2, 2) / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;

        dydt[0] = dtheta1;
        dydt[1] = dtheta2;
        dydt[2] = ddtheta1;
        dydt[3] = ddtheta2;
    }

    private protected override void SampleStartState(Random rng, ResetOptions? options, Span<double> state)
    {
        (double low, double high) = ResetOptions.Resolve(options, -0.1, 0.1);
        for (int i = 0; i < 4; i++)
        {
            // Gymnasium stores the reset state as a float32 array; the first step promotes it to float64.
            state[i] = (float)Uniform(rng, low, high);
        }
    }

    private protected override bool Advance(int action, Span<double> state, out double reward)
    {
        double torque = action switch { 0 => -1.0, 1 => 0.0, _ => 1.0 };
        Rk4(state, torque);

        state[0] = Wrap(state[0], -Math.PI, Math.PI);
        state[1] = Wrap(state[1], -Math.PI, Math.PI);
        state[2] = Bound(state[2], -MaxVel1, MaxVel1);
        state[3] = Bound(state[3], -MaxVel2, MaxVel2);

        bool terminated = -Math.Cos(state[0]) - Math.Cos(state[1] + state[0]) > 1.0;
        reward = terminated ? 0.0 : -1.0;
        return terminated;
    }

    private protected override void WriteObservation(ReadOnlySpan<double> state, Span<float> observation)
    {
        observation[0] = (float)Math.Cos(state[0]);
        observation[1] = (float)Math.Sin(state[0]);
        observation[2] = (float)Math.Cos(state[1]);
        observation[3] = (float)Math.Sin(state[1]);
        observation[4] = (float)state[2];
        observation[5] = (float)state[3];
    }

    /// <summary>Gymnasium's reset observation takes cos/sin of the float32 state in float32.</summary>
    private protected override void WriteResetObservation(ReadOnlySpan<double> state, Span<float> observation)
    {
        observation[0] = MathF.Cos((float)state[0]);
        observation[1] = MathF.Sin((float)state[0]);
        observation[2] = MathF.Cos((float)state[1]);
        observation[3] = MathF.Sin((float)state[1]);
        observation[4] = (float)state[2];
        observation[5] = (float)state[3];
    }

    /// <summary>acrobot.py's rk4 over t = [0, dt]: y0 + dt/6.0 * (k1 + 2*k2 + 2*k3 + k4), element by element.</summary>
    private void Rk4(Span<double> y0, double torque)
    {
        const double dt2 = Dt / 2.0;
        Derivatives(y0, torque, Nips, _k1);
        for (int i = 0; i < 4; i++)
        {
            _y[i] = y0[i] + dt2 * _k1[i];
        }

        Derivatives(_y, torque, Nips, _k2);
        for (int i = 0; i < 4; i++)
        {
            _y[i] = y0[i] + dt2 * _k2[i];
        }

        Derivatives(_y, torque, Nips, _k3);
        for (int i = 0; i < 4; i++)
        {
            _y[i] = y0[i] + Dt * _k3[i];
        }

        Derivatives(_y, torque, Nips, _k4);
        for (int i = 0; i < 4; i++)
        {
            y0[i] = y0[i] + Dt / 6.0 * (_k1[i] + 2 * _k2[i] + 2 * _k3[i] + _k4[i]);
        }
    }

    /// <summary>acrobot.py's wrap: one period at a time, not fmod, so results match bit for bit.</summary>
    private static double Wrap(double x, double m, double max)
    {
        double diff = max - m;
        while (x > max)
        {
            x -= diff;
        }

        while (x < m)
        {
            x += diff;
        }

        return x;
    }

    private static double Bound(double x, double m, double max) => Math.Min(Math.Max(x, m), max);

    private static Box ObservationBox() =>
        new([-1f, -1f, -1f, -1f, (float)-MaxVel1, (float)-MaxVel2], [1f, 1f, 1f, 1f, (float)MaxVel1, (float)MaxVel2]);
}
