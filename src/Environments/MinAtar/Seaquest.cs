namespace DqnStudy.Environments.MinAtar;

/// <summary>MinAtar Seaquest (<c>seaquest.py</c>): a two-cell submarine shoots fish and enemy subs (+1 each), picks up
/// divers and must surface before its oxygen runs out; surfacing with six divers pays the remaining oxygen. Hit by
/// an enemy, fish or bullet, out of oxygen, or surfacing without a diver ends the episode.</summary>
/// <remarks>The game's lists are Python lists updated while iterated in reverse and emptied with <c>list.remove</c>
/// (first equal value): <see cref="SeaquestObjectList"/> keeps those semantics, so rare duplicate values
/// behave as in MinAtar (see docs/minatar.md).</remarks>
public sealed class Seaquest : MinAtarGame
{
    public const int SubFrontChannel = 0;
    public const int SubBackChannel = 1;
    public const int FriendlyBulletChannel = 2;
    public const int TrailChannel = 3;
    public const int EnemyBulletChannel = 4;
    public const int EnemyFishChannel = 5;
    public const int EnemySubChannel = 6;
    public const int OxygenGaugeChannel = 7;
    public const int DiverGaugeChannel = 8;
    public const int DiverChannel = 9;

    public const int MaxOxygen = 200;
    public const int InitialSpawnSpeed = 20;
    public const int DiverSpawnSpeed = 30;
    public const int InitialMoveInterval = 5;
    public const int ShotCoolDown = 5;
    public const int EnemyShotInterval = 10;
    public const int DiverMoveInterval = 5;
    public const int MaxDivers = 6;

    private readonly SeaquestObjectList _friendlyBullets = new();
    private readonly SeaquestObjectList _enemyBullets = new();
    private readonly SeaquestObjectList _fish = new();
    private readonly SeaquestObjectList _subs = new();
    private readonly SeaquestObjectList _divers = new();
    private int _oxygen;
    private int _diverCount;
    private int _subX, _subY;
    private bool _facingRight;
    private int _enemySpawnSpeed, _enemySpawnTimer;
    private int _diverSpawnTimer;
    private int _moveSpeed;
    private int _rampIndex;
    private int _shotTimer;
    private bool _surfaced;

    public Seaquest(bool ramping = true)
        : base("seaquest",
               ["sub_front", "sub_back", "friendly_bullet", "trail", "enemy_bullet", "enemy_fish", "enemy_sub", "oxygen_guage", "diver_guage", "diver"],
               [0, 1, 2, 3, 4, 5], ramping)
    {
    }

    public override int? DifficultyRamp => _rampIndex;

    /// <summary>Oxygen left (200 when full).</summary>
    public int Oxygen => _oxygen;

    /// <summary>Divers on board; −1 and below after surfacing with six (MinAtar's count after the bonus).</summary>
    public int DiverCount => _diverCount;

    /// <summary>For scenario tests: places the submarine, sets the spawn timers and the divers on board.</summary>
    internal void Arrange(int subX, int subY, bool facingRight, int enemySpawnTimer, int diverSpawnTimer, int diverCount)
    {
        (_subX, _subY, _facingRight) = (subX, subY, facingRight);
        (_enemySpawnTimer, _diverSpawnTimer) = (enemySpawnTimer, diverSpawnTimer);
        _diverCount = diverCount;
        _surfaced = subY == 0;
    }

    internal SeaquestObjectList FriendlyBullets => _friendlyBullets;

    internal SeaquestObjectList EnemyBullets => _enemyBullets;

    internal SeaquestObjectList Fish => _fish;

    internal SeaquestObjectList Subs => _subs;

    internal SeaquestObjectList Divers => _divers;

    public override void Reset()
    {
        _oxygen = MaxOxygen;
        _diverCount = 0;
        _subX = 5;
        _subY = 0;
        _facingRight = false;
        _friendlyBullets.Clear();
        _enemyBullets.Clear();
        _fish.Clear();
        _subs.Clear();
        _divers.Clear();
        _enemySpawnSpeed = InitialSpawnSpeed;
        _enemySpawnTimer = _enemySpawnSpeed;
        _diverSpawnTimer = DiverSpawnSpeed;
        _moveSpeed = InitialMoveInterval;
        _rampIndex = 0;
        _shotTimer = 0;
        _surfaced = true;
        Terminal = false;
    }

    private protected override int Advance(MinAtarAction action)
    {
        int reward = 0;
        if (_enemySpawnTimer == 0)
        {
            SpawnEnemy();
            _enemySpawnTimer = _enemySpawnSpeed;
        }

        if (_diverSpawnTimer == 0)
        {
            SpawnDiver();
            _diverSpawnTimer = DiverSpawnSpeed;
        }

        if (action == MinAtarAction.Fire && _shotTimer == 0)
        {
            _friendlyBullets.Add(new SeaquestObject(_subX, _subY, _facingRight));
            _shotTimer = ShotCoolDown;
        }
        else if (action == MinAtarAction.Left)
        {
            _subX = Math.Max(0, _subX - 1);
            _facingRight = false;
        }
        else if (action == MinAtarAction.Right)
        {
            _subX = Math.Min(9, _subX + 1);
            _facingRight = true;
        }
        else if (action == MinAtarAction.Up)
        {
            _subY = Math.Max(0, _subY - 1);
        }
        else if (action == MinAtarAction.Down)
        {
            _subY = Math.Min(8, _subY + 1);
        }

        reward += UpdateFriendlyBullets();
        UpdateDivers();
        reward += UpdateEnemySubs();
        UpdateEnemyBullets();
        reward += UpdateFish();

        _enemySpawnTimer -= _enemySpawnTimer > 0 ? 1 : 0;
        _diverSpawnTimer -= _diverSpawnTimer > 0 ? 1 : 0;
        _shotTimer -= _shotTimer > 0 ? 1 : 0;
        if (_oxygen <= 0)
        {
            Terminal = true;
        }

        if (_subY > 0)
        {
            _oxygen--;
            _surfaced = false;
        }
        else if (!_surfaced)
        {
            if (_diverCount == 0)
            {
                Terminal = true;
            }
            else
            {
                reward += Surface();
            }
        }

        return reward;
    }

    private int UpdateFriendlyBullets()
    {
        int reward = 0;
        for (int cursor = _friendlyBullets.Count, i; (i = _friendlyBullets.ReverseNext(ref cursor)) >= 0;)
        {
            ref SeaquestObject item = ref _friendlyBullets[i];
            item.Move();
            SeaquestObject bullet = item;
            if (bullet.OffScreen)
            {
                _friendlyBullets.RemoveValue(bullet);
            }
            else if (RemoveFirstAt(_fish, bullet.X, bullet.Y) || RemoveFirstAt(_subs, bullet.X, bullet.Y))
            {
                _friendlyBullets.RemoveValue(bullet);
                reward++;
            }
        }

        return reward;
    }

    /// <summary>Removes the first object of the list (forward order) on cell (x, y); true if there was one.</summary>
    private static bool RemoveFirstAt(SeaquestObjectList objects, int x, int y)
    {
        ReadOnlySpan<SeaquestObject> all = objects.AsSpan();
        for (int j = 0; j < all.Length; j++)
        {
            if (all[j].At(x, y))
            {
                objects.RemoveValue(all[j]);
                return true;
            }
        }

        return false;
    }

    private void UpdateDivers()
    {
        for (int cursor = _divers.Count, i; (i = _divers.ReverseNext(ref cursor)) >= 0;)
        {
            ref SeaquestObject item = ref _divers[i];
            if (item.At(_subX, _subY) && _diverCount < MaxDivers)
            {
                _divers.RemoveValue(item);
                _diverCount++;
            }
            else if (item.MoveTimer == 0)
            {
                item.MoveTimer = DiverMoveInterval;
                item.Move();
                SeaquestObject diver = item;
                if (diver.OffScreen)
                {
                    _divers.RemoveValue(diver);
                }
                else if (diver.At(_subX, _subY) && _diverCount < MaxDivers)
                {
                    _divers.RemoveValue(diver);
                    _diverCount++;
                }
            }
            else
            {
                item.MoveTimer--;
            }
        }
    }

    private int UpdateEnemySubs()
    {
        int reward = 0;
        for (int cursor = _subs.Count, i; (i = _subs.ReverseNext(ref cursor)) >= 0;)
        {
            // Python mutates the sub object even after list.remove dropped it (its shot timer still runs and it may
            // still fire), and list.remove may drop an earlier equal sub instead: track where this one is, if anywhere.
            int at = i;
            SeaquestObject sub = _subs[i];
            if (sub.At(_subX, _subY))
            {
                Terminal = true;
            }

            if (sub.MoveTimer == 0)
            {
                sub.MoveTimer = _moveSpeed;
                sub.Move();
                Store(at, sub);
                if (sub.OffScreen)
                {
                    at = Detach(at, sub);
                }
                else if (sub.At(_subX, _subY))
                {
                    Terminal = true;
                }
                else if (RemoveFirstAt(_friendlyBullets, sub.X, sub.Y))
                {
                    at = Detach(at, sub);
                    reward++;
                }
            }
            else
            {
                sub.MoveTimer--;
                Store(at, sub);
            }

            if (sub.ShotTimer == 0)
            {
                sub.ShotTimer = EnemyShotInterval;
                Store(at, sub);
                _enemyBullets.Add(new SeaquestObject(sub.X, sub.Y, sub.Right));
            }
            else
            {
                sub.ShotTimer--;
                Store(at, sub);
            }
        }

        return reward;
    }

    private void Store(int at, SeaquestObject sub)
    {
        if (at >= 0)
        {
            _subs[at] = sub;
        }
    }

    /// <summary><c>e_subs.remove(sub)</c>: returns where the sub now is (-1 if it was the one removed).</summary>
    private int Detach(int at, SeaquestObject sub)
    {
        int removed = _subs.RemoveValue(sub);
        return removed == at ? -1 : removed < at ? at - 1 : at;
    }

    private void UpdateEnemyBullets()
    {
        for (int cursor = _enemyBullets.Count, i; (i = _enemyBullets.ReverseNext(ref cursor)) >= 0;)
        {
            ref SeaquestObject item = ref _enemyBullets[i];
            if (item.At(_subX, _subY))
            {
                Terminal = true;
            }

            item.Move();
            SeaquestObject bullet = item;
            if (bullet.OffScreen)
            {
                _enemyBullets.RemoveValue(bullet);
            }
            else if (bullet.At(_subX, _subY))
            {
                Terminal = true;
            }
        }
    }

    private int UpdateFish()
    {
        int reward = 0;
        for (int cursor = _fish.Count, i; (i = _fish.ReverseNext(ref cursor)) >= 0;)
        {
            ref SeaquestObject item = ref _fish[i];
            if (item.At(_subX, _subY))
            {
                Terminal = true;
            }

            if (item.MoveTimer != 0)
            {
                item.MoveTimer--;
                continue;
            }

            item.MoveTimer = _moveSpeed;
            item.Move();
            SeaquestObject fish = item;
            if (fish.OffScreen)
            {
                _fish.RemoveValue(fish);
            }
            else if (fish.At(_subX, _subY))
            {
                Terminal = true;
            }
            else if (RemoveFirstAt(_friendlyBullets, fish.X, fish.Y))
            {
                _fish.RemoveValue(fish);
                reward++;
            }
        }

        return reward;
    }

    /// <summary>MinAtar's <c>_surface()</c>: six divers pay oxygen·10 // 200 and empty the sub; in every case
    /// oxygen is refilled and one diver leaves — after the bonus too, which leaves the count at −1.</summary>
    private int Surface()
    {
        _surfaced = true;
        int reward = 0;
        if (_diverCount == MaxDivers)
        {
            _diverCount = 0;
            reward = FloorDiv(_oxygen * 10, MaxOxygen);
        }

        _oxygen = MaxOxygen;
        _diverCount--;
        if (Ramping && (_enemySpawnSpeed > 1 || _moveSpeed > 2))
        {
            if (_moveSpeed > 2 && _rampIndex % 2 == 1)
            {
                _moveSpeed--;
            }

            if (_enemySpawnSpeed > 1)
            {
                _enemySpawnSpeed--;
            }

            _rampIndex++;
        }

        return reward;
    }

    /// <summary>rand() side, rand() kind, randint(1, 9) row — all drawn even when the spawn is then skipped because
    /// an enemy in that row moves the other way.</summary>
    private void SpawnEnemy()
    {
        bool fromLeft = Random.Rand() < 1.0 / 2;
        bool isSub = Random.Rand() < 1.0 / 3;
        int x = fromLeft ? 0 : 9;
        int y = (int)Random.RandInt(1, 9);
        if (OpposedInRow(_subs, y, fromLeft) || OpposedInRow(_fish, y, fromLeft))
        {
            return;
        }

        if (isSub)
        {
            _subs.Add(new SeaquestObject(x, y, fromLeft, _moveSpeed, EnemyShotInterval));
        }
        else
        {
            _fish.Add(new SeaquestObject(x, y, fromLeft, _moveSpeed));
        }
    }

    private static bool OpposedInRow(SeaquestObjectList enemies, int y, bool right)
    {
        foreach (SeaquestObject enemy in enemies.AsSpan())
        {
            if (enemy.Y == y && enemy.Right != right)
            {
                return true;
            }
        }

        return false;
    }

    private void SpawnDiver()
    {
        bool fromLeft = Random.Rand() < 1.0 / 2;
        int x = fromLeft ? 0 : 9;
        int y = (int)Random.RandInt(1, 9);
        _divers.Add(new SeaquestObject(x, y, fromLeft, DiverMoveInterval));
    }

    private protected override void DrawState(Span<float> chw)
    {
        Set(chw, SubFrontChannel, _subY, _subX);
        Set(chw, SubBackChannel, _subY, PythonColumn(_facingRight ? _subX - 1 : _subX + 1));
        int oxygenCells = FloorDiv(Math.Max(0, _oxygen) * 10, MaxOxygen);
        for (int col = 0; col < oxygenCells; col++)
        {
            Set(chw, OxygenGaugeChannel, 9, col);
        }

        // state[9, 9 - diver_count : 9]: empty for a count of 0 or below.
        for (int col = Math.Max(0, 9 - _diverCount); col < 9; col++)
        {
            Set(chw, DiverGaugeChannel, 9, col);
        }

        foreach (SeaquestObject bullet in _friendlyBullets.AsSpan())
        {
            Set(chw, FriendlyBulletChannel, bullet.Y, bullet.X);
        }

        foreach (SeaquestObject bullet in _enemyBullets.AsSpan())
        {
            Set(chw, EnemyBulletChannel, bullet.Y, bullet.X);
        }

        DrawWithTrails(chw, _fish, EnemyFishChannel);
        DrawWithTrails(chw, _subs, EnemySubChannel);
        DrawWithTrails(chw, _divers, DiverChannel);
    }

    private static void DrawWithTrails(Span<float> chw, SeaquestObjectList objects, int channel)
    {
        foreach (SeaquestObject item in objects.AsSpan())
        {
            Set(chw, channel, item.Y, item.X);
            int backX = item.Right ? item.X - 1 : item.X + 1;
            if (backX is >= 0 and <= 9)
            {
                Set(chw, TrailChannel, item.Y, backX);
            }
        }
    }

    /// <summary>numpy's index for a column: −1 is the last column (the sub's back, were it ever at x = 0 facing right).</summary>
    private static int PythonColumn(int col) => col < 0 ? col + Size : col;

    private static int FloorDiv(int a, int b) => (int)Math.Floor((double)a / b);
}
