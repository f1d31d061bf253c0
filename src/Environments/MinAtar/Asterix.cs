namespace DqnStudy.Environments.MinAtar;

/// <summary>MinAtar Asterix (<c>asterix.py</c>): the player moves in rows 1–8; enemies and gold enter from the sides,
/// one per row; +1 per gold; touching an enemy ends the episode. With ramping, spawns and moves speed up every
/// 102 steps until both happen every frame.</summary>
public sealed class Asterix : MinAtarGame
{
    public const int PlayerChannel = 0;
    public const int EnemyChannel = 1;
    public const int TrailChannel = 2;
    public const int GoldChannel = 3;

    public const int RampInterval = 100;
    public const int InitialSpawnSpeed = 10;
    public const int InitialMoveInterval = 5;

    private const int Slots = 8; // slot i lives in row i + 1

    private readonly bool[] _present = new bool[Slots];
    private readonly int[] _x = new int[Slots];
    private readonly bool[] _movingRight = new bool[Slots];
    private readonly bool[] _gold = new bool[Slots];
    private readonly int[] _freeSlots = new int[Slots];
    private int _playerX, _playerY;
    private int _spawnSpeed, _spawnTimer;
    private int _moveSpeed, _moveTimer;
    private int _rampTimer, _rampIndex;

    public Asterix(bool ramping = true)
        : base("asterix", ["player", "enemy", "trail", "gold"], [0, 1, 2, 3, 4], ramping)
    {
    }

    public override int? DifficultyRamp => _rampIndex;

    public override void Reset()
    {
        _playerX = 5;
        _playerY = 5;
        Array.Clear(_present);
        _spawnSpeed = InitialSpawnSpeed;
        _spawnTimer = _spawnSpeed;
        _moveSpeed = InitialMoveInterval;
        _moveTimer = _moveSpeed;
        _rampTimer = RampInterval;
        _rampIndex = 0;
        Terminal = false;
    }

    private protected override int Advance(MinAtarAction action)
    {
        int reward = 0;
        if (_spawnTimer == 0)
        {
            SpawnEntity();
            _spawnTimer = _spawnSpeed;
        }

        switch (action)
        {
            case MinAtarAction.Left: _playerX = Math.Max(0, _playerX - 1); break;
            case MinAtarAction.Right: _playerX = Math.Min(9, _playerX + 1); break;
            case MinAtarAction.Up: _playerY = Math.Max(1, _playerY - 1); break;
            case MinAtarAction.Down: _playerY = Math.Min(8, _playerY + 1); break;
        }

        for (int i = 0; i < Slots; i++)
        {
            reward += Collide(i);
        }

        if (_moveTimer == 0)
        {
            _moveTimer = _moveSpeed;
            for (int i = 0; i < Slots; i++)
            {
                if (!_present[i])
                {
                    continue;
                }

                _x[i] += _movingRight[i] ? 1 : -1;
                if (_x[i] < 0 || _x[i] > 9)
                {
                    _present[i] = false;
                }

                reward += Collide(i);
            }
        }

        _spawnTimer--;
        _moveTimer--;

        if (Ramping && (_spawnSpeed > 1 || _moveSpeed > 1))
        {
            if (_rampTimer >= 0)
            {
                _rampTimer--;
            }
            else
            {
                if (_moveSpeed > 1 && _rampIndex % 2 == 1)
                {
                    _moveSpeed--;
                }

                if (_spawnSpeed > 1)
                {
                    _spawnSpeed--;
                }

                _rampIndex++;
                _rampTimer = RampInterval;
            }
        }

        return reward;
    }

    private protected override void DrawState(Span<float> chw)
    {
        Set(chw, PlayerChannel, _playerY, _playerX);
        for (int i = 0; i < Slots; i++)
        {
            if (!_present[i])
            {
                continue;
            }

            Set(chw, _gold[i] ? GoldChannel : EnemyChannel, i + 1, _x[i]);
            int backX = _movingRight[i] ? _x[i] - 1 : _x[i] + 1;
            if (backX is >= 0 and <= 9)
            {
                Set(chw, TrailChannel, i + 1, backX);
            }
        }
    }

    /// <summary>Slot i on the player: gold is collected (+1), an enemy ends the episode (the step goes on).</summary>
    private int Collide(int i)
    {
        if (!_present[i] || _x[i] != _playerX || i + 1 != _playerY)
        {
            return 0;
        }

        if (_gold[i])
        {
            _present[i] = false;
            return 1;
        }

        Terminal = true;
        return 0;
    }

    /// <summary>rand() < 1/2 for the side, rand() < 1/3 for gold, then randint over the free rows (none free: no draw).</summary>
    private void SpawnEntity()
    {
        bool fromLeft = Random.Rand() < 1.0 / 2;
        bool gold = Random.Rand() < 1.0 / 3;
        int free = 0;
        for (int i = 0; i < Slots; i++)
        {
            if (!_present[i])
            {
                _freeSlots[free++] = i;
            }
        }

        if (free == 0)
        {
            return;
        }

        int slot = _freeSlots[Random.RandInt(0, free)];
        _present[slot] = true;
        _x[slot] = fromLeft ? 0 : 9;
        _movingRight[slot] = fromLeft;
        _gold[slot] = gold;
    }
}
