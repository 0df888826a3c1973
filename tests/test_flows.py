"""Troubleshooting flows: every shipped flow is valid, the validator catches broken trees, walks replay."""
import copy
import json
import os

import pytest

import contacts
import faq
from faq import FlowDataError, FlowError, load_flows, parse_flows, parse_path, validate_flows, walk
from faq import validate as faq_validate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLOWS_FILE = os.path.join(ROOT, "faq", "data", "flows.json")
REQUIRED = ["qr_not_reading", "mail_not_arriving", "forgot_password", "wrong_coupon_count", "lost_phone",
            "passport_expired"]


@pytest.fixture(scope="module")
def flows():
    return load_flows()


def _raw():
    with open(FLOWS_FILE, encoding="utf-8") as f:
        return json.load(f)


def _all_paths(flow):
    """Every answer path from the start to a terminal step (the flows are trees/DAGs, so this ends)."""
    out = []

    def go(step, answers):
        if step.terminal:
            out.append(answers)
            return
        for c in step.choices:
            go(flow.step(c.next), answers + [c.id])

    go(flow.start, [])
    return out


# ------------------------------------------------------------------ the shipped flows

def test_every_flow_is_valid(flows):
    assert validate_flows(flows) == []
    assert validate_flows(flows, faq_ids=faq.load_faq().ids()) == []


@pytest.mark.parametrize("flow_id", REQUIRED)
def test_required_flows_exist(flows, flow_id):
    flow = flows[flow_id]
    assert flow.title_for("ja") and flow.title_for("en") and flow.start.kind == "question"


def test_every_text_is_in_both_languages(flows):
    for flow in flows.values():
        for step in flow.steps:
            assert step.text_for("ja") and step.text_for("en"), (flow.id, step.id)
            for c in step.choices:
                assert c.label_for("ja") and c.label_for("en"), (flow.id, step.id, c.id)


def test_every_path_ends_in_an_answer_or_a_contact(flows):
    for flow in flows.values():
        paths = _all_paths(flow)
        assert paths, flow.id
        ends = set()
        for answers in paths:
            steps = walk(flow, answers)
            assert len(steps) == len(answers) + 1 and steps[-1].terminal
            assert walk(flow, parse_path(faq.format_path(answers))) == steps  # the URL replays the path
            ends.add(steps[-1].id)
        assert ends == {s.id for s in flow.steps if s.terminal}, flow.id  # every answer is reachable


def test_every_route_resolves_to_phone_numbers(flows):
    for flow in flows.values():
        for step in flow.steps:
            if step.kind == "route":
                routes = contacts.route(flow_outcome=step)
                assert routes and all(r.phone and r.tel.startswith("tel:0") for r in routes), step.id


def test_qr_not_reading_walks_to_the_passcode_route(flows):
    flow = flows["qr_not_reading"]
    steps = walk(flow, parse_path("iphone,latest,safari,still_not"))
    assert [s.id for s in steps] == ["device", "ios_version", "ios_browser", "safari_camera", "passcode"]
    assert "Safari" in steps[3].text_for("ja") and "カメラ" in steps[3].text_for("ja")
    passcode = steps[-1]
    assert "6桁" in passcode.text_for("ja") and "パスコードを入力する" in passcode.text_for("ja")
    assert "6-digit passcode" in passcode.text_for("en")
    android = walk(flow, ["android", "old", "still_not", "other_browser", "still_not", "still_not"])
    assert [s.id for s in android][-3:] == ["open_in_chrome", "chrome_camera", "passcode"]
    assert "Chrome" in android[-2].text_for("ja")
    last = walk(flow, ["iphone", "latest", "safari", "still_not", "failed"])[-1]
    assert last.kind == "route" and last.contact == "support_center"
    assert contacts.route(flow_outcome=last)[0].phone == "026-262-1378"
    assert walk(flow, ["other", "no_other"])[-1].id == "passcode"  # unsupported device: straight to passcode


def test_wrong_count_routes_to_the_service_used(flows):
    last = walk(flows["wrong_coupon_count"], ["within", "temporary_care"])[-1]
    assert last.kind == "route" and last.contact == "temporary_care"
    assert contacts.route(flow_outcome=last)[0].name == "保育課"
    assert walk(flows["wrong_coupon_count"], ["over"])[-1].kind == "resolution"


def test_resolutions_can_hand_over_to_another_flow(flows):
    step = walk(flows["forgot_password"], ["yes", "not_arrived"])[-1]
    assert step.flow == "mail_not_arriving" and step.flow in flows


def test_walk_refuses_unknown_answers(flows):
    flow = flows["qr_not_reading"]
    with pytest.raises(FlowError, match="not a choice"):
        walk(flow, ["iphone", "windows"])
    with pytest.raises(FlowError):
        walk(flow, ["other", "have_other", "again"])  # past a resolution
    lenient = walk(flow, ["iphone", "windows", "latest"], strict=False)
    assert [s.id for s in lenient] == ["device", "ios_version"]
    assert walk(flow, []) == [flow.start]


def test_paths():
    assert parse_path("a,b,,c ") == ["a", "b", "c"] and parse_path("") == [] and parse_path(None) == []
    assert faq.format_path(["a", "b"]) == "a,b"


def test_step_lookup(flows):
    flow = flows["lost_phone"]
    assert flow.step("lost_warning").choice("no_phone").next == "no_phone"
    assert flow.step("lost_warning").choice("nope") is None
    with pytest.raises(KeyError):
        flow.step("nowhere")


def test_find_flows(flows):
    assert faq.find_flows(flows, "QRコード")[0].id == "qr_not_reading"
    assert faq.find_flows(flows, "ぱすわーど")[0].id == "forgot_password"
    assert faq.find_flows(flows, "expired", lang="en")[0].id == "passport_expired"
    assert faq.find_flows(flows, "") == []


# ------------------------------------------------------------------ the validator on crafted bad data

def _flow(steps, start="a"):
    return {"version": 1, "flows": [{"id": "t", "programme": "coupon", "title": {"ja": "テスト", "en": "Test"},
                                     "start": start, "steps": steps}]}


def _q(sid, *targets, choice_ids=None):
    ids = choice_ids or [f"c{i}" for i in range(len(targets))]
    return {"id": sid, "kind": "question", "text": {"ja": "質問", "en": "Question"},
            "choices": [{"id": cid, "label": {"ja": "はい", "en": "Yes"}, "next": t}
                        for cid, t in zip(ids, targets, strict=True)]}


def _end(sid, kind="resolution", **extra):
    return {"id": sid, "kind": kind, "text": {"ja": "答え", "en": "Answer"}, **extra}


def _problems(data):
    return validate_flows(parse_flows(data), contact_ids=contacts.directory().contact_ids())


def test_a_good_small_flow_passes():
    steps = [_q("a", "b", "c"), _end("b"), _end("c", "route", contact="support_center")]
    assert _problems(_flow(steps)) == []


@pytest.mark.parametrize("steps, start, expected", [
    ([_q("a", "b"), _q("b")], "a", "dead end: a question without choices"),
    ([_q("a", "b"), _q("b", "a", "c"), _end("c")], "a", "cycle a -> b -> a"),
    ([_q("a", "a", "b"), _end("b")], "a", "cycle a -> a"),
    ([_q("a", "b"), _end("b"), _end("lonely")], "a", "step lonely is unreachable"),
    ([_q("a", "b", "nowhere"), _end("b")], "a", "unknown target step 'nowhere'"),
    ([_q("a", "b"), _end("b", "route", contact="mat-nowhere")], "a", "unknown contact id 'mat-nowhere'"),
    ([_q("a", "b"), _end("b", "route")], "a", "dead end: a route without a contact"),
    ([_q("a", "b"), _end("b", flow="no_such_flow")], "a", "unknown flow 'no_such_flow'"),
    ([_q("a", "b"), _end("b")], "zzz", "start step 'zzz' does not exist"),
    ([_q("a", "b"), _end("b"), _end("b")], "a", "duplicate step id 'b'"),
    ([_q("a", "b", "c", choice_ids=["x", "x"]), _end("b"), _end("c")], "a", "duplicate choice id"),
    ([_q("a", "b", choice_ids=["x,y"]), _end("b")], "a", "used in URLs"),
    ([_q("a", "b"), {**_end("b"), "kind": "maybe"}], "a", "kind 'maybe'"),
    ([_q("a", "b"), {**_end("b"), "choices": [{"id": "x", "label": {"ja": "は", "en": "y"}, "next": "a"}]}],
     "a", "a resolution must not have choices"),
    ([_q("a", "b"), {**_end("b"), "text": {"ja": "答え"}}], "a", "step b: missing en text"),
    ([_q("a", "b"), {**_end("b"), "text": {"ja": "Answer", "en": "Answer"}}], "a", "no Japanese"),
])
def test_validator_catches(steps, start, expected):
    problems = _problems(_flow(steps, start))
    assert any(expected in p for p in problems), problems


def test_validator_catches_missing_label_and_title_translations():
    data = _flow([_q("a", "b"), _end("b")])
    data["flows"][0]["steps"][0]["choices"][0]["label"] = {"ja": "はい"}
    data["flows"][0]["title"] = {"en": "Test"}
    problems = _problems(data)
    assert any("choice c0: missing en text" in p for p in problems)
    assert any("title: missing ja text" in p for p in problems)


def test_validator_catches_flow_level_problems():
    data = _flow([_q("a", "b"), _end("b")])
    data["flows"].append(copy.deepcopy(data["flows"][0]))
    data["flows"][0]["programme"] = "lottery"
    problems = _problems(data)
    assert any("duplicate flow id" in p for p in problems)
    assert any("programme 'lottery'" in p for p in problems)
    assert _problems({"version": 1, "flows": []}) == ["there are no flows"]


def test_unusable_shapes_raise():
    with pytest.raises(FlowDataError):
        parse_flows({"version": 1})
    with pytest.raises(FlowDataError, match="needs an id and a next step"):
        parse_flows(_flow([{"id": "a", "kind": "question", "text": {}, "choices": [{"id": "x"}]}]))


def test_load_flows_refuses_bad_files(tmp_path):
    bad = _raw()
    bad["flows"][0]["steps"][0]["choices"][0]["next"] = "nowhere"
    path = tmp_path / "flows.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FlowDataError) as e:
        load_flows(str(path))
    assert "unknown target step 'nowhere'" in str(e.value) and str(path) in str(e.value)
    assert "qr_not_reading" in load_flows(str(path), validate=False)
    path.write_text("[", encoding="utf-8")
    with pytest.raises(FlowDataError, match="cannot read"):
        load_flows(str(path))


def test_cli_fails_on_a_broken_flow(tmp_path, capsys):
    bad = _raw()
    steps = bad["flows"][0]["steps"]
    steps[-1]["contact"] = "mat-nowhere"  # the route at the end of qr_not_reading
    steps[0]["choices"][0]["next"] = "device"  # a cycle; ios_version etc. become unreachable
    path = tmp_path / "flows.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    assert faq_validate.main(["--flows", str(path)]) == 1
    out = capsys.readouterr().out
    assert "unknown contact id 'mat-nowhere'" in out and "cycle device -> device" in out
    assert "step ios_version is unreachable" in out


def test_cli_as_a_module():
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "faq.validate"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("OK:"), result.stdout + result.stderr
