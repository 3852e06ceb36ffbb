"""The money flow against the simulator over real HTTP: the pretend balance goes down by the
app's estimate per accepted job, runs out with BILLING_BALANCE_NOT_ENOUGH, and the hourly bill
list is read defensively whatever shape it comes in."""

from __future__ import annotations

import ast
import itertools
import logging
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.images import png_bytes
from vidu_desktop.core import errors
from vidu_desktop.core.backoff import RetryPolicy
from vidu_desktop.core.novita import NovitaClient, parse_bill_list
from vidu_desktop.core.pricing import Balance, BillEntry, bill_total, default_table, format_usd
from vidu_desktop.core.request import DURATION_RANGE, RESOLUTIONS, VideoSettings, data_uri
from vidu_desktop.simulator import billing
from vidu_desktop.simulator.contract import Submission
from vidu_desktop.simulator.server import BALANCE_PATH, BILL_PATH, Simulator, SimulatorConfig

KEY = "sk-billing-test-0123456789"
IMAGE = data_uri(png_bytes(64, 36), "image/png")
AUTH = {"Authorization": f"Bearer {KEY}"}


def renderer(image, destination, **_):
    destination.write_bytes(b"\0\0\0\x18ftypmp42")


@pytest.fixture
def sim(tmp_path):
    config = SimulatorConfig(api_key=KEY, queued_s=0, processing_s=0.1, renderer=renderer,
                             video_dir=tmp_path, balance_units=500_000)  # $50, as the demo
    with Simulator(config) as simulator:
        yield simulator


@pytest.fixture
def client(sim):
    retry = RetryPolicy(attempts=3, base_s=0.01, sleep=lambda s: time.sleep(min(s, 0.05)))
    return NovitaClient(KEY, base_url=sim.base_url, session=requests.Session(), retry=retry)


def every_settings():
    low, high = DURATION_RANGE
    for resolution, duration, off_peak in itertools.product(RESOLUTIONS, range(low, high + 1),
                                                            (False, True)):
        yield VideoSettings(duration=duration, resolution=resolution, off_peak=off_peak)


# -- two tables, one figure ----------------------------------------------------------------------


@pytest.mark.parametrize("settings", list(every_settings()), ids=str)
def test_the_simulator_charges_what_the_app_estimates(settings):
    """The app's table (resources/prices.json) and the simulator's own copy agree everywhere."""
    request = Submission(images=(IMAGE,), duration=settings.duration, resolution=settings.resolution,
                         off_peak=settings.off_peak)
    assert billing.price_units(request) == default_table().estimate(settings)


def test_the_simulator_keeps_its_own_table():
    """Not read from the app's data file: a copy, so a slip in either shows up above."""
    tree = ast.parse(Path(billing.__file__).read_text(encoding="utf-8"))
    imported = {node.module if isinstance(node, ast.ImportFrom) else alias.name
                for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names}
    assert imported <= {"__future__", "calendar", "threading", "time", "dataclasses", "decimal",
                        "typing", "contract"}  # no files, no resources, nothing of the app's
    assert set(billing.USD_PER_SECOND) == set(RESOLUTIONS)


# -- the balance goes down per accepted job -----------------------------------------------------


def test_the_balance_goes_down_by_the_estimate_of_each_accepted_job(client, sim):
    table = default_table()
    start = client.balance()
    assert start == Balance(500_000, 500_000, 0, 0, 0) and start.shown() == "$50.00"
    jobs = [VideoSettings(), VideoSettings(duration=16, resolution="1080p"),
            VideoSettings(duration=1, resolution="540p", off_peak=True), VideoSettings(off_peak=True)]
    expected = 500_000
    for settings in jobs:
        client.submit(settings, IMAGE)
        expected -= table.estimate(settings)
        assert client.balance().available == expected
    assert sim.account.charged() == 500_000 - expected == sum(map(table.estimate, jobs))
    assert len(sim.task_ids()) == len(jobs)

    # Refused jobs cost nothing: a bad setting, moderation, a balance fault.
    with pytest.raises(errors.InvalidRequestError):
        client.submit(VideoSettings(duration=99), IMAGE)
    with pytest.raises(errors.ModerationError):
        client.submit(VideoSettings(prompt="forbidden"), IMAGE)
    sim.faults.add("balance", route="submit")
    with pytest.raises(errors.BalanceError):
        client.submit(VideoSettings(), IMAGE)
    assert client.balance().available == expected and len(sim.task_ids()) == len(jobs)


def test_balance_not_enough_when_the_pretend_money_runs_out(client, sim, http_config):
    price = default_table().estimate(VideoSettings())  # 1950
    http_config({"balance": str(price * 2 - 1)})
    client.submit(VideoSettings(), IMAGE)
    assert client.balance().available == price - 1
    with pytest.raises(errors.BalanceError) as refused:
        client.submit(VideoSettings(), IMAGE)
    error = refused.value
    assert (error.status, error.reason) == (400, "BILLING_BALANCE_NOT_ENOUGH")
    assert not isinstance(error, errors.SubmissionUncertain)  # a clear refusal, nothing was made
    words = errors.describe(error)
    assert "top up" in words and errors.TOP_UP_URL in words and "nothing was charged" in words
    assert errors.link_for(error) == errors.TOP_UP_URL and errors.link_for(errors.NetworkError()) is None
    assert len(sim.task_ids()) == 1 and client.balance().available == price - 1
    # A cheaper job still fits: off-peak is half.
    client.submit(VideoSettings(off_peak=True), IMAGE)
    assert client.balance().available == price - 1 - price // 2
    # Topped up (over HTTP, as a test driving another process would): it goes through.
    assert http_config({"balance": "1950"})["balance"] == "1950"
    client.submit(VideoSettings(), IMAGE)
    assert client.balance() == Balance(0, 0, 0, 0, 0)


def test_two_submits_racing_for_the_last_dollars(client, sim):
    price = default_table().estimate(VideoSettings())
    sim.account.set_balance(price)
    outcomes: list[object] = []

    def submit():
        try:
            outcomes.append(client.submit(VideoSettings(), IMAGE))
        except errors.BalanceError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(isinstance(o, str) for o in outcomes) == 1
    assert sum(isinstance(o, errors.BalanceError) for o in outcomes) == 3
    assert sim.account.balance == 0


@pytest.fixture
def http_config(sim):
    def post(body):
        answer = requests.post(sim.base_url + "/_simulator/config", json=body, timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()
    return post


@pytest.mark.parametrize("body", [{"balance": "lots"}, {"balance": 1.5}, {"balance": True},
                                  {"balance": "1" * 20}, {"balance": None}, {"colour": "red"},
                                  ["balance", 5], "500000"])
def test_bad_config_is_refused(sim, body):
    before = sim.account.balance
    answer = requests.post(sim.base_url + "/_simulator/config", json=body, timeout=10)
    assert (answer.status_code, answer.json()["reason"]) == (400, "INVALID_REQUEST_BODY")
    assert sim.account.balance == before


def test_config_over_http(sim, client):
    control = sim.base_url + "/_simulator/config"
    assert requests.get(control, timeout=10).json() == {"balance": "500000", "charged": "0",
                                                        "charges": 0, "pretend": True}
    assert requests.post(control, json={"balance": -2500}, timeout=10).json()["balance"] == "-2500"
    assert client.balance().available == -2500 and client.balance().shown() == "-$0.25"
    with pytest.raises(errors.BalanceError):
        client.submit(VideoSettings(duration=1, resolution="540p", off_peak=True), IMAGE)
    assert requests.post(control, json={"balance": "+123456"}, timeout=10).json()["balance"] == "123456"
    assert client.balance().shown() == "$12.35"


# -- the hourly bill --------------------------------------------------------------------------


def test_the_hourly_bill_lists_the_charges(client, sim):
    table = default_table()
    jobs = [VideoSettings(), VideoSettings(), VideoSettings(resolution="1080p", duration=8),
            VideoSettings(off_peak=True)]
    for settings in jobs:
        client.submit(settings, IMAGE)
    entries = client.bill_list()
    assert bill_total(entries) == sum(map(table.estimate, jobs)) == sim.account.charged()
    assert {e.product for e in entries} == {"vidu-q3-turbo-i2v 720p", "vidu-q3-turbo-i2v 1080p",
                                           "vidu-q3-turbo-i2v 720p off-peak"}
    now = time.time()
    for entry in entries:
        assert entry.category == "gen_api" and entry.pay_amount == entry.amount
        assert entry.voucher_amount == 0
        assert entry.start is not None and entry.end == entry.start + 3600
        assert entry.start <= now < entry.end + 5
    by_product = {e.product: e.amount for e in entries}
    assert by_product["vidu-q3-turbo-i2v 720p"] == 2 * table.estimate(VideoSettings())
    # What was asked: the hourly bill of generation APIs, and the period when given.
    asked = [path for method, path, _ in sim.stats.requests if path == BILL_PATH]
    assert len(asked) == 1 and sim.stats.bill_reads == 1
    assert client.bill_list(start=now + 7200) == []
    assert bill_total(client.bill_list(start=now - 7200, end=now + 7200)) == sim.account.charged()
    assert client.bill_list(product_category="llm") == []
    assert bill_total(client.bill_list("Day")) == bill_total(client.bill_list("Month")) == sim.account.charged()


def test_the_bill_list_query_is_checked(sim, client):
    for query in ({"cycleType": "Hour"}, {"productCategory": "gen_api"},
                  {"cycleType": "Year", "productCategory": "gen_api"},
                  {"cycleType": "Hour", "productCategory": "gen_api", "startTime": "yesterday"}):
        answer = requests.get(sim.base_url + BILL_PATH, params=query, headers=AUTH, timeout=10)
        assert answer.status_code == 400 and answer.json()["reason"] == "INVALID_REQUEST_BODY"
    with pytest.raises(errors.InvalidRequestError):
        client.bill_list("Fortnight")
    assert requests.get(sim.base_url + BILL_PATH, timeout=10).status_code == 400  # no key


@pytest.mark.parametrize("style", billing.BILL_STYLES)
def test_a_strange_bill_list_never_breaks_the_client(client, sim, style, caplog):
    client.submit(VideoSettings(), IMAGE)
    normal = client.bill_list()
    sim.faults.add("odd_bills", route="bill", style=style)
    with caplog.at_level(logging.WARNING, "vidu_desktop.core.novita"):
        entries = client.bill_list()
    assert all(isinstance(e, BillEntry) for e in entries)
    if style == "extra_fields":
        assert entries == normal  # unknown fields are ignored
    else:
        assert entries == []  # nothing usable: an empty bill, not an error
    if style in ("unknown_fields", "no_bills", "null_bills", "not_a_list", "wrong_types"):
        assert "bill list" in caplog.text
    assert client.bill_list() == normal  # the fault was used up


@pytest.mark.parametrize("style, raises", [("not_json", True), ("empty", True), ("truncated", True),
                                           ("wrong_type", False), ("no_task_id", False)])
def test_garbage_instead_of_a_bill_list_is_a_protocol_error_at_worst(sim, style, raises):
    client = NovitaClient(KEY, base_url=sim.base_url, session=requests.Session(),
                          retry=RetryPolicy(attempts=1))
    sim.faults.add("garbage", route="bill", style=style)
    if raises:
        with pytest.raises(errors.ProtocolError):
            client.bill_list()
    else:
        assert client.bill_list() == []


def test_a_huge_bill_list_is_cut_off_not_read(sim):
    from vidu_desktop.core.novita import Limits

    client = NovitaClient(KEY, base_url=sim.base_url, session=requests.Session(),
                          retry=RetryPolicy(attempts=1), limits=Limits(json_bytes=10_000))
    sim.faults.add("huge_json", route="bill", size=5_000_000)
    with pytest.raises(errors.ProtocolError, match="more than"):
        client.bill_list()


@pytest.mark.parametrize("data", [
    None, 7, "bills", [], {}, {"bills": None}, {"bills": {}}, {"bills": [None, 1, "x", [], {}]},
    {"bills": [{"unknown": 1}]}, {"data": {"bills": []}}, {"bills": [{"amount": "NaN"}]},
])
def test_parse_bill_list_gives_nothing_for_nothing(data):
    assert parse_bill_list(data) == []


def test_parse_bill_list_reads_what_it_can():
    line = {"startTime": "1764500400", "endTime": 1764504000, "productName": "vidu\nq3",
            "category": "gen_api", "amount": "5850", "payAmount": "5000", "voucherAmount": "850",
            "new": {"deep": [1]}}
    [entry] = parse_bill_list({"bills": [line, 5]})
    assert entry == BillEntry(1764500400.0, 1764504000.0, "vidu q3", "gen_api", 5850, 5000, 850)
    assert format_usd(entry.amount) == "$0.59"
    # The other shapes a server might use.
    assert parse_bill_list([line]) == [entry] == parse_bill_list({"data": {"bills": [line]}})
    assert parse_bill_list({"data": [line]}) == [entry]
    partial = parse_bill_list({"bills": [{"amount": "100"}, {"startTime": "-5", "productName": "x"}]})
    assert partial == [BillEntry(amount=100), BillEntry(product="x")]
    assert bill_total(partial) == 100
    many = parse_bill_list({"bills": [line] * 20_000})
    assert len(many) == 10_000


# -- the balance answer, read defensively --------------------------------------------------------


@pytest.mark.parametrize("style", ["wrong_type", "no_task_id"])
def test_an_odd_balance_is_unknown_not_an_error(sim, style):
    client = NovitaClient(KEY, base_url=sim.base_url, session=requests.Session(),
                          retry=RetryPolicy(attempts=1))
    sim.faults.add("garbage", route="balance", style=style)
    balance = client.balance()
    if style == "wrong_type":  # every value the number 12345: still readable as units
        assert balance.available == 12345
    else:
        assert balance == Balance()
    assert client.balance().available == 500_000


def test_a_balance_that_is_not_json_is_a_protocol_error(sim):
    client = NovitaClient(KEY, base_url=sim.base_url, session=requests.Session(),
                          retry=RetryPolicy(attempts=1))
    sim.faults.add("garbage", route="balance", style="not_json")
    with pytest.raises(errors.ProtocolError):
        client.balance()


def test_balance_faults_are_retried_and_refusals_typed(client, sim):
    sim.faults.add("rate_limit", route="balance", retry_after=0)
    sim.faults.add("server_error", route="balance")
    assert client.balance().available == 500_000
    assert sim.stats.balance_reads == 3
    wrong = NovitaClient("sk-wrong", base_url=sim.base_url, session=requests.Session())
    with pytest.raises(errors.AuthError):
        wrong.balance()


def test_faults_for_any_route_leave_the_balance_alone(client, sim):
    """The app reads the balance on its own clock; a fault meant for a job must reach the job."""
    sim.faults.add("server_error")  # route "any"
    assert client.balance().available == 500_000
    assert client.bill_list() == []
    with pytest.raises(errors.SubmissionUncertain):
        client.submit(VideoSettings(), IMAGE)  # the 500 went to the submit


def test_the_balance_answer_is_novitas_shape(sim):
    body = requests.get(sim.base_url + BALANCE_PATH, headers=AUTH, timeout=10).json()
    assert body == {"availableBalance": "500000", "cashBalance": "500000", "creditLimit": "0",
                    "pendingCharges": "0", "outstandingInvoices": "0"}
