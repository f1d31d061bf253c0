namespace DqnStudy.Environments.MinAtar;

/// <summary>MinAtar Space Invaders (<c>space_invaders.py</c>): a cannon on the bottom row shoots up at a 4×6 block of
/// aliens that sweeps sideways and steps down at the edges, shooting back; +1 per alien; a new (with ramping,
/// faster) wave when one is cleared; an alien or enemy bullet on the cannon ends the episode. No randomness.</summary>
public sealed class SpaceInvaders : MinAtarGame
{
    public const int CannonChannel = 0;
    public const int AlienChannel = 1;
    public const int AlienLeftChannel = 2;
    public const int AlienRightChannel = 3;
    public const int FriendlyBulletChannel = 4;
    public const int EnemyBulletChannel = 5;

    public const int ShotCoolDown = 5;
    public const int InitialEnemyMoveInterval = 12;
    public const int EnemyShotInterval = 10;

    private readonly bool[] _aliens = new bool[Cells];
    private readonly bool[] _friendlyBullets = new bool[Cells];
    private readonly bool[] _enemyBullets = new bool[Cells];
    private readonly bool[] _scratch = new bool[Cells];
    private int _cannon;
    private int _alienDirection; // -1 left, +1 right
    private int _enemyMoveInterval;
    private int _alienMoveTimer;
    private int _alienShotTimer;
    private int _rampIndex;
    private int _shotTimer;

    public SpaceInvaders(bool ramping = true)
        : base("space_invaders", ["cannon", "alien", "alien_left", "alien_right", "friendly_bullet", "enemy_bullet"], [0, 1, 3, 5], ramping)
    {
    }

    public override int? DifficultyRamp => _rampIndex;

    public override void Reset()
    {
        _cannon = 5;
        Array.Clear(_friendlyBullets);
        Array.Clear(_enemyBullets);
        Array.Clear(_aliens);
        FillWave();
        _alienDirection = -1;
        _enemyMoveInterval = InitialEnemyMoveInterval;
        _alienMoveTimer = _enemyMoveInterval;
        _alienShotTimer = EnemyShotInterval;
        _rampIndex = 0;
        _shotTimer = 0;
        Terminal = false;
    }

    private protected override int Advance(MinAtarAction action)
    {
        if (action == MinAtarAction.Fire && _shotTimer == 0)
        {
            _friendlyBullets[(9 * Size) + _cannon] = true;
            _shotTimer = ShotCoolDown;
        }
        else if (action == MinAtarAction.Left)
        {
            _cannon = Math.Max(0, _cannon - 1);
        }
        else if (action == MinAtarAction.Right)
        {
            _cannon = Math.Min(9, _cannon + 1);
        }

        // np.roll by one row then clearing the wrapped row: friendly bullets rise, enemy bullets fall.
        RollRows(_friendlyBullets, -1);
        _friendlyBullets.AsSpan(9 * Size, Size).Clear();
        RollRows(_enemyBullets, 1);
        _enemyBullets.AsSpan(0, Size).Clear();
        if (_enemyBullets[(9 * Size) + _cannon])
        {
            Terminal = true;
        }

        if (_aliens[(9 * Size) + _cannon])
        {
            Terminal = true;
        }

        if (_alienMoveTimer == 0)
        {
            _alienMoveTimer = Math.Min(Count(_aliens), _enemyMoveInterval);
            if ((AnyInColumn(0) && _alienDirection < 0) || (AnyInColumn(9) && _alienDirection > 0))
            {
                _alienDirection = -_alienDirection;
                if (AnyInRow(9))
                {
                    Terminal = true;
                }

                RollRows(_aliens, 1); // row 9 wraps to row 0, as np.roll does
            }
            else
            {
                RollColumns(_aliens, _alienDirection);
            }

            if (_aliens[(9 * Size) + _cannon])
            {
                Terminal = true;
            }
        }

        if (_alienShotTimer == 0)
        {
            _alienShotTimer = EnemyShotInterval;
            (int row, int col) = NearestAlien(_cannon);
            _enemyBullets[(row * Size) + col] = true;
        }

        // A bullet and an alien on one cell destroy each other; ones that swap cells in a step both survive.
        int reward = 0;
        for (int i = 0; i < Cells; i++)
        {
            if (_aliens[i] && _friendlyBullets[i])
            {
                _aliens[i] = false;
                _friendlyBullets[i] = false;
                reward++;
            }
        }

        _shotTimer -= _shotTimer > 0 ? 1 : 0;
        _alienMoveTimer--;
        _alienShotTimer--;
        if (Count(_aliens) == 0)
        {
            if (_enemyMoveInterval > 6 && Ramping)
            {
                _enemyMoveInterval--;
                _rampIndex++;
            }

            FillWave(); // direction and timers carry over
        }

        return reward;
    }

    private protected override void DrawState(Span<float> chw)
    {
        Set(chw, CannonChannel, 9, _cannon);
        SetMap(chw, AlienChannel, _aliens);
        SetMap(chw, _alienDirection < 0 ? AlienLeftChannel : AlienRightChannel, _aliens);
        SetMap(chw, FriendlyBulletChannel, _friendlyBullets);
        SetMap(chw, EnemyBulletChannel, _enemyBullets);
    }

    /// <summary>The lowest alien of the column nearest to <paramref name="pos"/> (ties: the left column, as
    /// MinAtar's stable sort of 0..9 by |c − pos| gives). A wave is refilled before it can be empty here.</summary>
    private (int Row, int Col) NearestAlien(int pos)
    {
        for (int distance = 0; distance < Size; distance++)
        {
            int left = pos - distance, right = pos + distance;
            if (left >= 0 && LowestAlien(left) is int leftRow)
            {
                return (leftRow, left);
            }

            if (distance > 0 && right <= 9 && LowestAlien(right) is int rightRow)
            {
                return (rightRow, right);
            }
        }

        throw new InvalidOperationException("space_invaders: no alien left to shoot (MinAtar refills the wave first).");
    }

    private int? LowestAlien(int col)
    {
        for (int row = Size - 1; row >= 0; row--)
        {
            if (_aliens[(row * Size) + col])
            {
                return row;
            }
        }

        return null;
    }

    private void FillWave()
    {
        for (int row = 0; row < 4; row++)
        {
            _aliens.AsSpan((row * Size) + 2, 6).Fill(true);
        }
    }

    private bool AnyInColumn(int col)
    {
        for (int row = 0; row < Size; row++)
        {
            if (_aliens[(row * Size) + col])
            {
                return true;
            }
        }

        return false;
    }

    private bool AnyInRow(int row) => _aliens.AsSpan(row * Size, Size).Contains(true);

    private static int Count(ReadOnlySpan<bool> map)
    {
        int count = 0;
        foreach (bool cell in map)
        {
            count += cell ? 1 : 0;
        }

        return count;
    }

    /// <summary>np.roll(map, shift, axis=0): row r moves to row (r + shift) mod 10.</summary>
    private void RollRows(bool[] map, int shift)
    {
        map.CopyTo(_scratch, 0);
        for (int row = 0; row < Size; row++)
        {
            int to = (row + shift + Size) % Size;
            Array.Copy(_scratch, row * Size, map, to * Size, Size);
        }
    }

    /// <summary>np.roll(map, shift, axis=1): column c moves to column (c + shift) mod 10.</summary>
    private void RollColumns(bool[] map, int shift)
    {
        map.CopyTo(_scratch, 0);
        for (int row = 0; row < Size; row++)
        {
            for (int col = 0; col < Size; col++)
            {
                map[(row * Size) + ((col + shift + Size) % Size)] = _scratch[(row * Size) + col];
            }
        }
    }
}
