"""Shell completion of real values, through each shell's protocol as the installed command
answers it: bash (COMP_WORDS, COMP_CWORD), zsh (_TYPER_COMPLETE_ARGS, complete_zsh) and fish
(_TYPER_COMPLETE_ARGS, complete_fish). Where a shell is installed, it reads the answer too:
a title with spaces and quotes must reach the command as one word, unchanged."""

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from questrya.cli import app
from tests.conftest import QUESTRYA, run_installed

pytestmark = pytest.mark.slow

# A backlog of two profiles. alice (the default): ids 1-7; bob: id 8.
GAMES = [
    ("alice", "Dark Souls", "pc", ["soulslike"]),
    ("alice", "Dark Souls II", "pc", ["soulslike", "coop"]),
    ("alice", "Hades", "pc", ["coop", "roguelike"]),
    ("alice", "Hades", "switch", []),
    ("alice", "Pokémon Legends: Arceus", "switch", []),
    ("alice", "Baldur's Gate 3", "ps5", ["coop"]),
    ("alice", "7 Days to Die", "pc", []),
    ("bob", "Celeste", "pc", ["platformer"]),
]
STATUSES = ["not_started", "playing", "on_hold", "completed", "abandoned"]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("completion") / "home"
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith("QUESTRYA_")]:
            patch.delenv(name)
        patch.setenv("QUESTRYA_HOME", str(home))
        for args in (["users", "add", "alice"], ["users", "add", "bob"]):
            assert runner.invoke(app, args).exit_code == 0
        for user, title, platform, tags in GAMES:
            tagged = [word for tag in tags for word in ("--tag", tag)]
            added = ["--user", user, "games", "add", title, "-p", platform, "--no-fetch", *tagged]
            assert runner.invoke(app, added).exit_code == 0
    yield home


# --- each shell's protocol ---------------------------------------------------------------------


def bash(home: Path, line: str, **env: str) -> list[str]:
    """What bash gets for the last word of ``line`` (its words as bash splits them), each value
    as bash will read it back: one word."""
    words = re.split(r"(?<!\\) ", line)  # a space escaped stays in its word
    answer = _answer(home, COMP_WORDS=line, COMP_CWORD=str(len(words) - 1), **env)
    values = []
    for value in answer.splitlines():
        [word] = shlex.split(value)  # escaped for bash: exactly one word
        values.append(word)
    return values


def zsh(home: Path, line: str, **env: str) -> list[str]:
    """The values of the `compadd` zsh gets for the last word of ``line``."""
    answer = _answer(home, "zsh", _TYPER_COMPLETE_ARGS=line, **env)
    if answer == "_files":  # Typer's answer when it has none
        return []
    return [_zsh_unquoted(word) for word in _ZSH_WORD.findall(answer.split(" -- ", 1)[1])]


def fish(home: Path, line: str, **env: str) -> list[str]:
    """The values fish gets for the last word of ``line``, without what it shows beside them."""
    answer = _answer(home, "fish", _TYPER_COMPLETE_ARGS=line, **env)
    return [value.split("\t")[0] for value in answer.splitlines()]


def _answer(home: Path, shell: str = "bash", **env: str) -> str:
    done = run_installed(
        [],
        home,
        env={
            "_QUESTRYA_COMPLETE": f"complete_{shell}",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            **env,
        },
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.rstrip("\n")


_ZSH_WORD = re.compile(r"\$'((?:[^'\\]|\\.)*)'")


def _zsh_unquoted(word: str) -> str:
    return re.sub(r"\\x([0-9a-f]{2})|\\(.)", lambda m: chr(int(m[1], 16)) if m[1] else m[2], word)


SHELLS: dict[str, Callable[..., list[str]]] = {"bash": bash, "zsh": zsh, "fish": fish}

# (what is typed, what each shell is given), written from GAMES.
VALUES = [
    ("questrya games show dar", ["Dark Souls", "Dark Souls II"]),
    ("questrya games show POKE", ["Pokémon Legends: Arceus"]),  # case and accents ignored
    ("questrya games complete had", ["Hades"]),  # one title, two games
    ("questrya games refresh bal", ["Baldur's Gate 3"]),  # a command of the metadata feature
    ("questrya games show 1", ["1"]),
    ("questrya games show 7", ["7"]),  # by its id and by its title: once
    ("questrya games show 7\\ d", ["7 Days to Die"]),
    ("questrya games remove dark souls", []),  # two REFs: no title starts with "souls"
    ("questrya games list --status ", STATUSES),
    ("questrya games add Tunic --status o", ["on_hold"]),
    (
        "questrya games add Tunic -p ps",
        ["PS1", "ps", "psx", "PS2", "PS3", "PS4", "PS5", "PSP", "PS Vita", "psvita"],
    ),
    ("questrya games list --platform swi", ["Switch", "Switch 2"]),
    ("questrya games list --tag ", ["coop", "soulslike", "roguelike"]),  # most used first
    ("questrya games edit 1 --untag so", ["soulslike"]),
    ("questrya games list sta", ["status:", "started:"]),
    ("questrya games list stat", [f"status:{status}" for status in STATUSES]),
    ("questrya config set http", ["http_timeout"]),
    ("questrya config unset ra", ["rate_limit", "rawg_api_key", "rawg_url"]),
    ("questrya users use ", ["alice", "bob"]),
    ("questrya users remove b", ["bob"]),
    ("questrya --user a", ["alice"]),
    ("questrya --user bob games show ", ["Celeste"]),
    ("questrya games li", ["list"]),  # commands, as before
]


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(("line", "values"), VALUES, ids=[line for line, _ in VALUES])
def test_the_shell_gets_the_values_stored(
    library: Path, shell: str, line: str, values: list[str]
) -> None:
    assert SHELLS[shell](library, line) == values


@pytest.mark.parametrize("shell", SHELLS)
def test_the_profile_named_in_the_environment_is_the_one_completed(
    library: Path, shell: str
) -> None:
    assert SHELLS[shell](library, "questrya games show ", QUESTRYA_USER="bob") == ["Celeste"]


@pytest.mark.parametrize("shell", SHELLS)
def test_a_profile_that_is_not_there_completes_nothing(library: Path, shell: str) -> None:
    assert SHELLS[shell](library, "questrya --user carol games show ") == []


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_query_words_complete_to_fields_and_their_values(library: Path, shell: str) -> None:
    complete = SHELLS[shell]
    assert complete(library, "questrya games list tag:") == [
        "tag:coop",
        "tag:soulslike",
        "tag:roguelike",
    ]
    assert complete(library, "questrya games list ^platform:xbox\\ se") == [
        "^platform:Xbox Series X/S",
        "^platform:xbox series",
        "^platform:xbox series x",
        "^platform:xbox series s",
        "^platform:xbox series x|s",
    ]
    assert complete(library, "questrya games edit status:playing,on") == ["status:playing,on_hold"]
    assert complete(library, "questrya games edit bal") == ["Baldur's Gate 3"]


def test_bash_completes_after_the_colon_it_cuts_a_word_at(library: Path) -> None:
    # bash splits `status:pl` into `status`, `:`, `pl` and replaces only the text after ':'.
    assert bash(library, "questrya games list status : pl") == ["playing"]
    assert bash(library, "questrya games list status :") == STATUSES
    assert bash(library, "questrya games edit ^tag : s") == ["soulslike"]
    assert bash(library, "questrya games list status : playing,on") == ["playing,on_hold"]


def test_bash_gets_titles_escaped_and_zsh_and_fish_as_they_are(library: Path) -> None:
    env = {"COMP_WORDS": "questrya games show bal", "COMP_CWORD": "3"}
    assert _answer(library, **env) == r"Baldur\'s\ Gate\ 3"
    typed = {"_TYPER_COMPLETE_ARGS": "questrya games show bal"}
    assert _answer(library, "fish", **typed) == "Baldur's Gate 3\t6 [PS5]"
    assert _answer(library, "zsh", **typed) == (
        r"local -a shown; shown=($'Baldur\'s\x20Gate\x203\x20--\x206\x20[PS5]');"
        r" compadd -M 'm:{[:lower:][:upper:]}={[:upper:][:lower:]}' -V values -l -d shown"
        r" -- $'Baldur\'s\x20Gate\x203'"
    )


def test_a_title_shared_by_games_shows_each_beside_it(library: Path) -> None:
    typed = {"_TYPER_COMPLETE_ARGS": "questrya games show hades"}
    assert _answer(library, "fish", **typed) == "Hades\t3 [PC], 4 [Switch]"


# --- nothing to read: nothing completed, nothing created, nothing said ------------------------


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("exists", [False, True], ids=["no folder", "an empty folder"])
def test_completing_in_an_empty_data_folder_creates_nothing(
    tmp_path: Path, shell: str, exists: bool
) -> None:
    home = tmp_path / "home"
    if exists:
        home.mkdir()
    complete = SHELLS[shell]

    assert complete(home, "questrya games show ha") == []
    assert complete(home, "questrya games list --tag ") == []
    assert complete(home, "questrya users use ") == []
    assert complete(home, "questrya config set http") == ["http_timeout"]  # no database needed
    assert complete(home, "questrya games list --status p") == ["playing"]

    assert (list(home.iterdir()) if exists else home.exists()) in ([], False)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda home: (home / "questrya.db").write_text("not a database"),
        lambda home: (home / "config.toml").write_text("provider = "),
    ],
    ids=["not a database", "a broken config file"],
)
def test_a_failure_completes_nothing_and_says_nothing(
    tmp_path: Path, spoil: Callable[[Path], object]
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    spoil(home)

    assert bash(home, "questrya games show h") == []


def test_a_data_folder_that_is_a_file_completes_nothing_and_says_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.write_text("")

    assert bash(home, "questrya users use ") == []
    assert home.read_text() == ""


# --- the shells themselves ---------------------------------------------------------------------


def _script(home: Path, shell: str) -> str:
    """The completion script `questrya --install-completion` would install for ``shell``."""
    done = run_installed([], home, env={"_QUESTRYA_COMPLETE": f"source_{shell}"})
    assert done.returncode == 0, done.stderr
    return done.stdout


def _in_shell(argv: list[str], script: str, home: Path) -> list[str]:
    path = shutil.which(argv[0])
    if path is None:
        pytest.skip(f"{argv[0]} is not installed")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QUESTRYA_")}
    environment |= {"QUESTRYA_HOME": str(home), "PATH": f"{QUESTRYA.parent}:{os.environ['PATH']}"}
    done = subprocess.run(
        [path, *argv[1:], script],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


# (the word typed, as the command line holds it; the title it completes to)
TITLES = [
    ("bal", "Baldur's Gate 3"),
    ("pok", "Pokémon Legends: Arceus"),
    ("dark\\ souls\\ i", "Dark Souls II"),
    ('"dark souls i', "Dark Souls II"),
    ("'bal", "Baldur's Gate 3"),
    ('"bal', "Baldur's Gate 3"),
]


@pytest.mark.parametrize(("typed", "title"), TITLES)
def test_bash_reads_each_value_back_as_the_title(library: Path, typed: str, title: str) -> None:
    """bash's own completion function fills COMPREPLY; each reply, where bash puts it (after
    the quote the word opened, which bash closes), reads back as one word: the title."""
    script = _script(library, "bash")
    quote = {"'": "'", '"': '\\"'}.get(typed[0], "")  # as it goes inside eval's "…"
    replies = _in_shell(
        ["bash", "--norc", "-c"],
        f"{script}\nCOMP_WORDS=(questrya games show {shlex.quote(typed)}); COMP_CWORD=3\n"
        "_questrya_completion questrya\n"
        'for reply in "${COMPREPLY[@]}"; do\n'
        f'  eval "set -- {quote}$reply{quote}"; echo "$#:$1"\n'
        "done",
        library,
    )
    assert replies == [f"1:{title}"]


@pytest.mark.parametrize(("typed", "title"), TITLES)
def test_zsh_takes_each_value_whole(library: Path, typed: str, title: str) -> None:
    """zsh's completion function, its `compadd` replaced by one that prints what it is given:
    the `eval` of the answer keeps each title one word, unchanged."""
    script = _script(library, "zsh")
    added = _in_shell(
        ["zsh", "-f", "-c"],
        'compdef() { : }; compadd() { print -rl -- "${@[${@[(i)--]}+1,-1]}" }\n'
        f"{script}\nwords=(questrya games show {shlex.quote(typed)}); CURRENT=4\n"
        "_questrya_completion",
        library,
    )
    assert added == [title]


@pytest.mark.parametrize(("typed", "title"), TITLES[:4])
def test_fish_completes_the_title(library: Path, typed: str, title: str) -> None:
    """fish's own completion of a command line (`complete -C`), with fish's own matching:
    it ignores case but not accents, so `pok` needs the é."""
    script = _script(library, "fish")
    typed = typed.replace("pok", "poké")
    completed = _in_shell(
        ["fish", "--no-config", "-c"],
        f"{script}\ncomplete -C {shlex.quote(f'questrya games show {typed}')}",
        library,
    )
    assert [line.split("\t")[0] for line in completed] == [title]
