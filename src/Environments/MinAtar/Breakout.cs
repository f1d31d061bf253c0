namespace DqnStudy.Environments.MinAtar;

/// <summary>MinAtar Breakout (<c>breakout.py</c>): a paddle on the bottom row bounces a diagonal ball into three
/// rows of bricks; +1 per brick; all bricks cleared → three new rows; the ball reaching the bottom ends the episode.</summary>
public sealed class Breakout : MinAtarGame
{
    public const int PaddleChannel = 0;
    public const int BallChannel = 1;
    public const int TrailChannel = 2;
    public const int BrickChannel = 3;

    // Ball directions: 0 up-left, 1 up-right, 2 down-right, 3 down-left.
    private static readonly int[] s_flipHorizontal = [1, 0, 3, 2];
    private static readonly int[] s_flipVertical = [3, 2, 1, 0];
    private static readonly int[] s_reverse = [2, 3, 0, 1];

    private readonly bool[] _bricks = new bool[Cells];
    private int _brickCount;
    private int _ballX, _ballY, _ballDirection;
    private int _lastX, _lastY;
    private int _paddle;
    private bool _strike;

    public Breakout(bool ramping = true)
        : base("breakout", ["paddle", "ball", "trail", "brick"], [0, 1, 3], ramping)
    {
    }

    public override void Reset()
    {
        _ballY = 3;
        bool fromLeft = Random.RandInt(0, 2) == 0;
        (_ballX, _ballDirection) = fromLeft ? (0, 2) : (9, 3);
        _paddle = 4;
        Array.Clear(_bricks);
        FillBrickRows();
        _strike = false;
        _lastX = _ballX;
        _lastY = _ballY;
        Terminal = false;
    }

    private protected override int Advance(MinAtarAction action)
    {
        int reward = 0;
        if (action == MinAtarAction.Left)
        {
            _paddle = Math.Max(0, _paddle - 1);
        }
        else if (action == MinAtarAction.Right)
        {
            _paddle = Math.Min(9, _paddle + 1);
        }

        _lastX = _ballX;
        _lastY = _ballY;
        int newX = _ballX + (_ballDirection is 1 or 2 ? 1 : -1);
        int newY = _ballY + (_ballDirection is 2 or 3 ? 1 : -1);

        bool struckBrick = false;
        if (newX < 0 || newX > 9)
        {
            newX = Math.Clamp(newX, 0, 9);
            _ballDirection = s_flipHorizontal[_ballDirection];
        }

        if (newY < 0)
        {
            newY = 0;
            _ballDirection = s_flipVertical[_ballDirection];
        }
        else if (_bricks[(newY * Size) + newX])
        {
            struckBrick = true;
            // Right after a hit the ball passes into the next brick without breaking it (MinAtar's strike flag).
            if (!_strike)
            {
                reward++;
                _strike = true;
                _bricks[(newY * Size) + newX] = false;
                _brickCount--;
                newY = _lastY;
                _ballDirection = s_flipVertical[_ballDirection];
            }
        }
        else if (newY == 9)
        {
            // The wall is rebuilt before the paddle test, even on the step that loses the ball.
            if (_brickCount == 0)
            {
                FillBrickRows();
            }

            if (_ballX == _paddle)
            {
                _ballDirection = s_flipVertical[_ballDirection];
                newY = _lastY;
            }
            else if (newX == _paddle)
            {
                _ballDirection = s_reverse[_ballDirection];
                newY = _lastY;
            }
            else
            {
                Terminal = true;
            }
        }

        if (!struckBrick)
        {
            _strike = false;
        }

        _ballX = newX;
        _ballY = newY;
        return reward;
    }

    private protected override void DrawState(Span<float> chw)
    {
        Set(chw, BallChannel, _ballY, _ballX);
        Set(chw, PaddleChannel, 9, _paddle);
        Set(chw, TrailChannel, _lastY, _lastX);
        SetMap(chw, BrickChannel, _bricks);
    }

    private void FillBrickRows()
    {
        _bricks.AsSpan(1 * Size, 3 * Size).Fill(true);
        _brickCount = 0;
        foreach (bool brick in _bricks)
        {
            _brickCount += brick ? 1 : 0;
        }
    }
}
