"""The headless runner's command line and terminal output, without starting a session."""

from __future__ import annotations

import io
import os

import pytest

from vidu_desktop.app import for_running_copy, main
from vidu_desktop.core.batch import BatchItem
from vidu_desktop.core.job import Job
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.request import VideoSettings
from vidu_desktop.headless import EXIT_BAD_INPUT, Progress, build_parser, form_settings, orders_for


def parse(*args: str):
    return build_parser().parse_args(list(args))


def test_options_go_through_the_settings_parser():
    form, problems = form_settings(parse("--prompt", "Slow pan", "--duration", "8", "--resolution", "1080P",
                                         "--seed", "42", "--no-audio", "--audio-type", "speech_only",
                                         "--off-peak", "--is-rec"))
    assert problems == []
    assert form == VideoSettings(prompt="Slow pan", duration=8, resolution="1080p", seed=42, audio=False,
                                 audio_type="speech_only", is_rec=True, off_peak=True)
    assert form_settings(parse())[0] == VideoSettings()
    _form, problems = form_settings(parse("--duration", "17", "--seed", "-1"))
    assert problems == ["--duration: Duration must be a whole number of seconds from 1 to 16.",
                        "--seed: Seed must be a whole number from 0 to 2147483647 (0 picks one at random)."]


@pytest.mark.parametrize("takes", ["0", "9", "two"])
def test_takes_are_1_to_8(takes, capsys):
    with pytest.raises(SystemExit) as exited:
        parse("--takes", takes)
    assert exited.value.code == 2 and "1 to 8" in capsys.readouterr().err


def test_orders_take_each_image_s_own_values_over_the_options():
    form = VideoSettings(prompt="from the options", duration=3)
    items = [BatchItem("https://example.com/a.png"),
             BatchItem("https://example.com/b.png", prompt="own", overrides={"duration": 9}, origin="b.csv row 3"),
             BatchItem("https://example.com/c.png", prompt="x" * 5001, origin="c.txt")]
    orders, problems = orders_for(items, form, takes=3)
    assert [(o.settings.prompt, o.settings.duration, o.takes) for o in orders] == [
        ("from the options", 3, 3), ("own", 9, 3)]
    assert problems == ["c.txt: The prompt is 5001 characters long; the limit is 5000."]


def job(job_id: int, state: JobState, **fields) -> Job:
    return Job(id=job_id, state=state, settings=VideoSettings(seed=7), image_source="/pics/harbour.png", **fields)


def test_progress_prints_a_line_per_state_change_and_a_summary():
    out = io.StringIO()
    progress = Progress(out)
    for job_id in (1, 2, 3):
        progress.follow(job(job_id, JobState.SUBMITTING))
    progress.update(job(1, JobState.SUBMITTING, progress=10.0))  # no change of state: no line
    progress.update(job(1, JobState.DONE, video_path="/videos/harbour.mp4"))
    progress.update(job(2, JobState.FAILED, error="Refused by\ncontent moderation."))
    progress.update(job(99, JobState.DONE))  # not followed: not this run's
    assert not progress.settled
    progress.update(job(3, JobState.UNCERTAIN))
    assert progress.settled and not progress.all_done
    progress.finish()
    lines = [line.split(" ", 1)[1] for line in out.getvalue().splitlines()[:-1]]  # without the time
    assert lines == ["job 1 · harbour.png · seed 7: sending", "job 2 · harbour.png · seed 7: sending",
                     "job 3 · harbour.png · seed 7: sending",
                     "job 1 · harbour.png · seed 7: done → /videos/harbour.mp4",
                     "job 2 · harbour.png · seed 7: failed: Refused by content moderation.",
                     "job 3 · harbour.png · seed 7: uncertain"]
    assert out.getvalue().splitlines()[-1] == "1 of 3 done, 1 failed, 1 uncertain"


def test_a_terminal_gets_a_status_line_that_moves_in_place():
    out = io.StringIO()
    progress = Progress(out, live=True)
    progress.follow(job(1, JobState.QUEUED))
    progress.update(job(1, JobState.QUEUED, progress=40.0))
    assert out.getvalue().endswith("\r\x1b[K0 of 1 done, 1 running · 40%")


def test_the_app_hands_headless_and_its_arguments_over(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["vidu-desktop", "--headless", "--help"])
    assert exited.value.code == 0
    assert "Exit status:" in capsys.readouterr().out
    assert main(["vidu-desktop", "--duration", "0", "--headless"]) == EXIT_BAD_INPUT


def test_paths_handed_to_a_running_copy_are_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert for_running_copy("shots") == os.path.join(tmp_path, "shots")  # a folder that may not exist yet
    assert for_running_copy("https://example.com/a.png") == "https://example.com/a.png"
