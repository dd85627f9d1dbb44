"""Entry point; answers `--version` before importing the heavy modules so it stays instant."""

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from acvnum import __version__

        print(f"acvnum {__version__}")
        return
    from acvnum.cli import run

    run()


if __name__ == "__main__":
    main()
