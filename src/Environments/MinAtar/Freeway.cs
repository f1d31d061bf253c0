namespace DqnStudy.Environments.MinAtar;

/// <summary>MinAtar Freeway (<c>freeway.py</c>): a chicken in column 4 crosses eight lanes of wrapping cars; +1 per
/// crossing (then the car speeds are re-drawn); a hit sends it back to the bottom. Every episode is 2501 steps.</summary>
public sealed class Freeway : MinAtarGame
{
    public const int ChickenChannel = 0;
    public const int CarChannel = 1;

    /// <summary>speed1 .. speed5 are channels 2 .. 6.</summary>
    public const int FirstSpeedChannel = 2;

    /// <summary>The chicken moves at most once every this many frames.</summary>
    public const int PlayerSpeed = 3;

    /// <summary>terminate_timer's start: the episode ends when it falls below 0, after TimeLimit + 1 steps.</summary>
    public const int TimeLimit = 2500;

    private const int CarCount = 8;
    private const int ChickenColumn = 4;

    private readonly int[] _carX = new int[CarCount];
    private readonly int[] _carTimer = new int[CarCount];
    private readonly int[] _carSpeed = new int[CarCount]; // signed: + moves right, - left; |speed| + 1 frames per move
    private readonly long[] _speeds = new long[CarCount];
    private readonly double[] _directions = new double[CarCount];
    private int _chicken; // row
    private int _moveTimer;
    private int _terminateTimer;

    public Freeway(bool ramping = true)
        : base("freeway", ["chicken", "car", "speed1", "speed2", "speed3", "speed4", "speed5"], [0, 2, 4], ramping)
    {
    }

    /// <summary>Steps left before the time limit (MinAtar's terminate_timer).</summary>
    public int TerminateTimer => _terminateTimer;

    public override void Reset()
    {
        RandomizeCars(initialize: true);
        _chicken = 9;
        _moveTimer = PlayerSpeed;
        _terminateTimer = TimeLimit;
        Terminal = false;
    }

    private protected override int Advance(MinAtarAction action)
    {
        int reward = 0;
        if (action == MinAtarAction.Up && _moveTimer == 0)
        {
            _moveTimer = PlayerSpeed;
            _chicken = Math.Max(0, _chicken - 1);
        }
        else if (action == MinAtarAction.Down && _moveTimer == 0)
        {
            _moveTimer = PlayerSpeed;
            _chicken = Math.Min(9, _chicken + 1);
        }

        if (_chicken == 0)
        {
            reward++;
            RandomizeCars(initialize: false);
            _chicken = 9;
        }

        for (int i = 0; i < CarCount; i++)
        {
            int row = i + 1;
            // Hit tested before and after the car moves.
            if (_carX[i] == ChickenColumn && row == _chicken)
            {
                _chicken = 9;
            }

            if (_carTimer[i] == 0)
            {
                _carTimer[i] = Math.Abs(_carSpeed[i]);
                _carX[i] += _carSpeed[i] > 0 ? 1 : -1;
                _carX[i] = _carX[i] < 0 ? 9 : _carX[i] > 9 ? 0 : _carX[i];
                if (_carX[i] == ChickenColumn && row == _chicken)
                {
                    _chicken = 9;
                }
            }
            else
            {
                _carTimer[i]--;
            }
        }

        _moveTimer -= _moveTimer > 0 ? 1 : 0;
        _terminateTimer--;
        if (_terminateTimer < 0)
        {
            Terminal = true;
        }

        return reward;
    }

    private protected override void DrawState(Span<float> chw)
    {
        Set(chw, ChickenChannel, _chicken, ChickenColumn);
        int trail = -1;
        for (int i = 0; i < CarCount; i++)
        {
            int row = i + 1;
            Set(chw, CarChannel, row, _carX[i]);
            int backX = _carSpeed[i] > 0 ? _carX[i] - 1 : _carX[i] + 1;
            backX = backX < 0 ? 9 : backX > 9 ? 0 : backX;
            int speed = Math.Abs(_carSpeed[i]);
            // MinAtar keeps `trail` from the previous car when a speed is 0 (a direction draw of exactly 0.5,
            // probability 2^-53); for the first car Python would raise, this draws no trail.
            if (speed is >= 1 and <= 5)
            {
                trail = FirstSpeedChannel + speed - 1;
            }

            if (trail >= 0)
            {
                Set(chw, trail, row, backX);
            }
        }
    }

    /// <summary>randint(1, 6, 8) speeds, then rand(8) directions sign(x - 0.5); positions kept unless initializing.</summary>
    private void RandomizeCars(bool initialize)
    {
        Random.RandInt(1, 6, _speeds);
        Random.Rand(_directions);
        for (int i = 0; i < CarCount; i++)
        {
            int speed = (int)_speeds[i] * Math.Sign(_directions[i] - 0.5);
            _carSpeed[i] = speed;
            _carTimer[i] = Math.Abs(speed);
            if (initialize)
            {
                _carX[i] = 0;
            }
        }
    }
}
