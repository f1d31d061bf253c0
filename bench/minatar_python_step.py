"""Times MinAtar's own Python step, for the comparison in bench/README.md (DqnStudy.Bench --minatar).

usage: python3 minatar_python_step.py PACKAGE_DIR [--steps N] [--repeats R] [--games g1,g2]
PACKAGE_DIR is the folder holding MinAtar's `minatar` package (commit 4241f24). Prints one JSON object per game:
microseconds per Environment.act() and per act() + state() (what MinAtar's DQN does each step), the best of R
runs of N steps (timeit's advice: on a shared machine the others only add noise), with a uniform random policy over the six actions, sticky_action_prob 0.1, ramping on, seed 0,
reset() on terminal; actions are RandomState(1).randint(6, size=N), replayed in every run.
"""
import argparse
import json
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("package_dir")
    parser.add_argument("--steps", type=int, default=20000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--games", default="asterix,breakout,freeway,seaquest,space_invaders")
    args = parser.parse_args()
    sys.path.insert(0, args.package_dir)
    import numpy as np
    from minatar import Environment

    for game in args.games.split(","):
        env = Environment(game, sticky_action_prob=0.1, difficulty_ramping=True)
        env.seed(0)
        env.reset()
        actions = np.random.RandomState(1).randint(6, size=args.steps).tolist()

        totals = {"reward": 0, "episodes": 0}

        def run(with_state):
            start = time.perf_counter()
            reward = episodes = 0
            for a in actions:
                r, terminal = env.act(a)
                reward += int(r)
                if with_state:
                    env.state()
                if terminal:
                    env.reset()
                    episodes += 1
            elapsed = time.perf_counter() - start
            totals["reward"] += reward
            totals["episodes"] += episodes
            return elapsed / len(actions) * 1e6

        run(True)  # warm up
        act = [run(False) for _ in range(args.repeats)]
        act_state = [run(True) for _ in range(args.repeats)]
        # Reward and episode totals over all runs: the C# side plays the same games (same seed and actions) and
        # must report the same totals.
        print(json.dumps({
            "game": game, "steps": args.steps, "repeats": args.repeats,
            "act_us": min(act), "act_state_us": min(act_state),
            "reward": totals["reward"], "episodes": totals["episodes"],
            "python": sys.version.split()[0], "numpy": np.__version__,
        }), flush=True)


if __name__ == "__main__":
    main()
