"""Narrow panes keep everything in view: the image list never scrolls sideways (long names
are elided in the middle, whole in the tooltip), an image's own settings name only what
differs from the form, and the details pane wraps long paths and ids inside its width."""

from __future__ import annotations

from tests.gui.test_images_and_form import panel, settle, shown_lines, write  # noqa: F401  (panel: a fixture)
from tests.images import png_bytes
from vidu_desktop.core.job import Job
from vidu_desktop.core.lifecycle import JobState
from vidu_desktop.core.request import VideoSettings

LONG_NAME = "harbour_2026-11-30_0923_720p_5s-3_frame-4.96s_with_a_name_longer_than_any_pane.png"


def test_a_long_file_name_is_elided_in_the_middle_with_no_sideways_scrolling(qtbot, panel, tmp_path):  # noqa: F811
    path = write(tmp_path / LONG_NAME, png_bytes(320, 240))
    panel.resize(300, 600)
    panel.add_sources([str(path)])
    settle(qtbot, panel)
    first_line = shown_lines(panel)[0].split("\n")[0]
    assert "…" in first_line and first_line.startswith("harbour_") and first_line.endswith(".png")
    assert panel.list.fontMetrics().horizontalAdvance(first_line) <= panel.list.viewport().width()
    assert str(path) in panel.list.item(0).toolTip()  # the whole name, on hover
    assert not panel.list.horizontalScrollBar().isVisible()


def test_own_settings_name_only_what_differs_from_the_form(qtbot, panel, tmp_path):  # noqa: F811
    form = VideoSettings(duration=5, resolution="720p", audio=True, audio_type="all", is_rec=False, off_peak=False)
    panel.form_settings = lambda: form
    write(tmp_path / "a.png", png_bytes(320, 240))
    write(tmp_path / "a.txt", "waves\n")
    panel.add_sources([str(tmp_path / "a.png")])
    settle(qtbot, panel)
    panel.list.setCurrentRow(0)
    panel.editor.own_settings.setChecked(True)  # the form's values, taken over: nothing differs yet
    assert "Own settings" not in shown_lines(panel)[0]
    panel.editor.duration.setValue(8)
    line = next(line for line in shown_lines(panel)[0].split("\n") if "Own settings" in line)
    assert line == "⚙ Own settings: 8 s"  # in VideoSettings.summary()'s words, nothing the form already says
    form = form.replace(duration=8)  # the form comes to the same value: nothing of its own is left
    panel.form_changed()
    assert "Own settings" not in shown_lines(panel)[0]


def test_the_details_pane_wraps_long_paths_and_ids_inside_its_width(qtbot):
    from vidu_desktop.ui.details import JobDetails

    details = JobDetails()
    qtbot.addWidget(details)
    details.resize(260, 700)
    details.show()
    folder = "/tmp/pytest-of-root/pytest-480/test_a_series_folder_takes_and0/xdg/Videos/Vidu Desktop/"
    job = Job(id=7, state=JobState.DONE, image_source=folder + LONG_NAME, video_path=folder + "v_" + LONG_NAME,
              task_id="1933e4c6-3e11-4e37-a0a6-4471bec0ffee-and-more", settings=VideoSettings(prompt="boats"))
    details.set_job(job)
    parent = Job(id=3, state=JobState.DONE, image_source=folder + LONG_NAME)
    details.set_family(7, parent, (Job(id=9, state=JobState.DONE, image_source=folder + "child_" + LONG_NAME),))
    qtbot.waitUntil(lambda: details._scroll.widget().width() <= details._scroll.viewport().width(), timeout=2000)
    body = details._scroll.widget()
    assert body.minimumSizeHint().width() <= details.width()
    for widget in (details.fields["source"], details.fields["file"], details.fields["task"],
                   details.folder_button, details.continue_button):
        right = widget.mapTo(body, widget.rect().topRight()).x()
        assert right <= details._scroll.viewport().width(), widget.accessibleName()
    assert details.fields["file"].text() == folder + "v_" + LONG_NAME  # copied whole, without break marks
    assert details.fields["task"].toolTip() == job.task_id
