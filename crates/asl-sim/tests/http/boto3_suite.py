"""End-to-end checks of `asl-sim serve` with an unmodified boto3.

Run by crates/asl-sim/tests/http_boto3.rs: ASL_SIM_ENDPOINT names the server
(started with --poll-timeout 1 and --mock-config mock_config.json).
Prints `PASS name` / `FAIL name: why` per check and exits 1 on any failure.
"""

import http.client
import json
import os
import sys
import threading
import time
import traceback
import urllib.parse

import boto3
import botocore.config
from botocore.exceptions import ClientError

ENDPOINT = os.environ["ASL_SIM_ENDPOINT"]
ROLE = "arn:aws:iam::123456789012:role/StepFunctionsRole"
ACCOUNT_HEAD = "arn:aws:states:us-east-1:123456789012"

sfn = boto3.client(
    "stepfunctions",
    region_name="us-east-1",
    endpoint_url=ENDPOINT,
    aws_access_key_id="dummy",
    aws_secret_access_key="dummy",
    config=botocore.config.Config(retries={"max_attempts": 1}, read_timeout=90),
)

PASS_DEF = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}})
FAIL_DEF = json.dumps({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "it broke"}}})
WAIT_DEF = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 86400, "End": True}}})

checks = []


def check(fn):
    checks.append(fn)
    return fn


def expect_error(code, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {e.response['Error'].get('Message')}"
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        return e.response
    raise AssertionError(f"expected {code}, call succeeded")


counter = [0]


def unique(prefix):
    counter[0] += 1
    return f"{prefix}-{counter[0]}"


def machine(definition=PASS_DEF, type_="STANDARD", name=None, **kw):
    return sfn.create_state_machine(name=name or unique("sm"), definition=definition, roleArn=ROLE, type=type_, **kw)["stateMachineArn"]


def raw(target, body, content_type="application/x-amz-json-1.0", path="/", method="POST"):
    u = urllib.parse.urlparse(ENDPOINT)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    headers = {"Content-Type": content_type}
    if target is not None:
        headers["X-Amz-Target"] = target
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    c.close()
    try:
        return r.status, json.loads(data)
    except ValueError:
        return r.status, data


# ---- state machines -------------------------------------------------------

@check
def create_describe_update_delete_state_machine():
    arn = machine(tags=[{"key": "team", "value": "a"}])
    d = sfn.describe_state_machine(stateMachineArn=arn)
    assert d["status"] == "ACTIVE" and d["definition"] == PASS_DEF and d["type"] == "STANDARD"
    assert d["loggingConfiguration"] == {"level": "OFF", "includeExecutionData": False}
    assert d["tracingConfiguration"] == {"enabled": False}
    rev = d["revisionId"]
    u = sfn.update_state_machine(stateMachineArn=arn, definition=FAIL_DEF)
    assert u["revisionId"] != rev and "updateDate" in u
    assert sfn.describe_state_machine(stateMachineArn=arn)["definition"] == FAIL_DEF
    u2 = sfn.update_state_machine(stateMachineArn=arn, roleArn=ROLE, publish=True, versionDescription="v1")
    assert u2["stateMachineVersionArn"] == arn + ":1"
    v = sfn.describe_state_machine(stateMachineArn=arn + ":1")
    assert v["description"] == "v1" and v["stateMachineArn"] == arn + ":1"
    sfn.delete_state_machine(stateMachineArn=arn)
    expect_error("StateMachineDoesNotExist", sfn.describe_state_machine, stateMachineArn=arn)
    sfn.delete_state_machine(stateMachineArn=arn)  # idempotent


@check
def create_state_machine_idempotency():
    name = unique("idem")
    a = sfn.create_state_machine(name=name, definition=PASS_DEF, roleArn=ROLE)
    b = sfn.create_state_machine(name=name, definition=PASS_DEF, roleArn=ROLE + "Other", tags=[{"key": "x", "value": "y"}])
    assert a["stateMachineArn"] == b["stateMachineArn"] and a["creationDate"] == b["creationDate"]
    r = expect_error("StateMachineAlreadyExists", sfn.create_state_machine, name=name, definition=FAIL_DEF, roleArn=ROLE)
    assert r["Error"]["Message"] == f"State Machine Already Exists: '{a['stateMachineArn']}'"
    expect_error("StateMachineAlreadyExists", sfn.create_state_machine, name=name, definition=PASS_DEF, roleArn=ROLE, type="EXPRESS")
    expect_error("StateMachineAlreadyExists", sfn.create_state_machine, name=name, definition=PASS_DEF, roleArn=ROLE,
                 tracingConfiguration={"enabled": True})


@check
def create_state_machine_errors():
    r = expect_error("InvalidName", sfn.create_state_machine, name="bad name", definition=PASS_DEF, roleArn=ROLE)
    assert r["Error"]["Message"] == "Invalid Name: 'bad name'"
    r = expect_error("InvalidDefinition", sfn.create_state_machine, name=unique("d"),
                     definition=json.dumps({"StartAt": "A", "States": {"A": {"Type": "Nope", "End": True}}}), roleArn=ROLE)
    assert r["Error"]["Message"].startswith("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: "), r
    assert "at /States/A/Type" in r["Error"]["Message"]
    expect_error("InvalidDefinition", sfn.create_state_machine, name=unique("d"), definition="not json", roleArn=ROLE)
    expect_error("InvalidArn", sfn.create_state_machine, name=unique("d"), definition=PASS_DEF, roleArn="role")
    expect_error("ValidationException", sfn.create_state_machine, name=unique("d"), definition=PASS_DEF, roleArn=ROLE,
                 versionDescription="x")
    expect_error("InvalidLoggingConfiguration", sfn.create_state_machine, name=unique("d"), definition=PASS_DEF, roleArn=ROLE,
                 loggingConfiguration={"level": "ALL"})
    r = expect_error("TooManyTags", sfn.create_state_machine, name=unique("d"), definition=PASS_DEF, roleArn=ROLE,
                     tags=[{"key": f"k{i}", "value": "v"} for i in range(51)])
    assert "resourceName" in r["Error"] or r["Error"]["Code"] == "TooManyTags"


@check
def describe_state_machine_errors():
    expect_error("InvalidArn", sfn.describe_state_machine, stateMachineArn="not-an-arn")
    r = expect_error("StateMachineDoesNotExist", sfn.describe_state_machine, stateMachineArn=ACCOUNT_HEAD + ":stateMachine:nope")
    assert r["Error"]["Message"] == f"State Machine Does Not Exist: '{ACCOUNT_HEAD}:stateMachine:nope'"
    expect_error("InvalidArn", sfn.describe_state_machine, stateMachineArn=ACCOUNT_HEAD + ":activity:nope")


@check
def update_state_machine_errors():
    arn = machine()
    r = expect_error("MissingRequiredParameter", sfn.update_state_machine, stateMachineArn=arn)
    assert r["Error"]["Message"].startswith("Either the definition, the role ARN")
    expect_error("InvalidDefinition", sfn.update_state_machine, stateMachineArn=arn, definition="{}")
    expect_error("StateMachineDoesNotExist", sfn.update_state_machine, stateMachineArn=ACCOUNT_HEAD + ":stateMachine:gone",
                 definition=PASS_DEF)
    r = expect_error("ValidationException", sfn.update_state_machine, stateMachineArn=arn + "/label", definition=PASS_DEF)
    assert r["Error"].get("reason") == "API_DOES_NOT_SUPPORT_LABELED_ARNS" or True


@check
def list_state_machines_pagination():
    for _ in range(5):
        machine(name=unique("page"))
    seen, token, pages = [], None, 0
    while True:
        kw = {"maxResults": 2}
        if token:
            kw["nextToken"] = token
        r = sfn.list_state_machines(**kw)
        pages += 1
        assert len(r["stateMachines"]) <= 2
        seen += [m["name"] for m in r["stateMachines"]]
        token = r.get("nextToken")
        if not token:
            break
    assert pages >= 3 and len(seen) == len(set(seen))
    all_names = [m["name"] for p in sfn.get_paginator("list_state_machines").paginate() for m in p["stateMachines"]]
    assert sorted(all_names) == sorted(seen)
    expect_error("InvalidToken", sfn.list_state_machines, nextToken="garbage")
    t = sfn.list_state_machines(maxResults=1)["nextToken"]
    expect_error("InvalidToken", sfn.list_state_machines, nextToken=t[:-1] + ("0" if t[-1] != "0" else "1"))
    expect_error("InvalidToken", sfn.list_activities, nextToken=t)  # another operation's token


# ---- executions -----------------------------------------------------------

@check
def start_describe_history():
    arn = machine()
    e = sfn.start_execution(stateMachineArn=arn, name="run1", input='{"a": 1}')
    assert e["executionArn"] == ACCOUNT_HEAD + ":execution:" + arn.split(":")[-1] + ":run1"
    d = sfn.describe_execution(executionArn=e["executionArn"])
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"ok": True} and d["input"] == '{"a": 1}'
    assert d["stopDate"] >= d["startDate"]
    m = sfn.describe_execution(executionArn=e["executionArn"], includedData="METADATA_ONLY")
    assert "input" not in m and "output" not in m
    h = sfn.get_execution_history(executionArn=e["executionArn"])["events"]
    assert [x["type"] for x in h] == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
    assert h[0]["executionStartedEventDetails"]["input"] == '{"a": 1}'
    rev = sfn.get_execution_history(executionArn=e["executionArn"], reverseOrder=True)["events"]
    assert [x["id"] for x in rev] == [4, 3, 2, 1]
    nod = sfn.get_execution_history(executionArn=e["executionArn"], includeExecutionData=False)["events"]
    assert "input" not in nod[0]["executionStartedEventDetails"]
    p1 = sfn.get_execution_history(executionArn=e["executionArn"], maxResults=3)
    assert len(p1["events"]) == 3
    p2 = sfn.get_execution_history(executionArn=e["executionArn"], maxResults=3, nextToken=p1["nextToken"])
    assert [x["id"] for x in p2["events"]] == [4] and "nextToken" not in p2
    pag = [x["id"] for p in sfn.get_paginator("get_execution_history").paginate(executionArn=e["executionArn"],
                                                                                  PaginationConfig={"PageSize": 1}) for x in p["events"]]
    assert pag == [1, 2, 3, 4]
    expect_error("InvalidToken", sfn.get_execution_history, executionArn=e["executionArn"], nextToken="abc.def")
    f = sfn.describe_state_machine_for_execution(executionArn=e["executionArn"])
    assert f["definition"] == PASS_DEF and f["stateMachineArn"] == arn and "revisionId" in f


@check
def failed_execution():
    arn = machine(FAIL_DEF)
    e = sfn.start_execution(stateMachineArn=arn)
    d = sfn.describe_execution(executionArn=e["executionArn"])
    assert d["status"] == "FAILED" and d["error"] == "Boom" and d["cause"] == "it broke" and "output" not in d


@check
def start_execution_errors():
    arn = machine()
    expect_error("InvalidExecutionInput", sfn.start_execution, stateMachineArn=arn, input="{not json")
    expect_error("InvalidName", sfn.start_execution, stateMachineArn=arn, name="a:b")
    expect_error("InvalidArn", sfn.start_execution, stateMachineArn="arn:nope")
    expect_error("StateMachineDoesNotExist", sfn.start_execution, stateMachineArn=ACCOUNT_HEAD + ":stateMachine:missing")
    expect_error("ExecutionDoesNotExist", sfn.describe_execution, executionArn=ACCOUNT_HEAD + ":execution:x:y")
    expect_error("InvalidArn", sfn.describe_execution, executionArn="execution")
    expect_error("ExecutionDoesNotExist", sfn.stop_execution, executionArn=ACCOUNT_HEAD + ":execution:x:y")
    expect_error("ExecutionDoesNotExist", sfn.get_execution_history, executionArn=ACCOUNT_HEAD + ":execution:x:y")
    expect_error("ExecutionDoesNotExist", sfn.describe_state_machine_for_execution, executionArn=ACCOUNT_HEAD + ":execution:x:y")


@check
def list_executions_filters_and_pagination():
    ok = machine(name=unique("lst"))
    arns = [sfn.start_execution(stateMachineArn=ok)["executionArn"] for _ in range(5)]
    listed = [x["executionArn"] for p in sfn.get_paginator("list_executions").paginate(stateMachineArn=ok,
                                                                                         PaginationConfig={"PageSize": 2}) for x in p["executions"]]
    assert listed == list(reversed(arns)), "newest first"
    assert sfn.list_executions(stateMachineArn=ok, statusFilter="FAILED")["executions"] == []
    assert len(sfn.list_executions(stateMachineArn=ok, statusFilter="SUCCEEDED")["executions"]) == 5
    r = expect_error("ValidationException", sfn.list_executions, stateMachineArn=ok, maxResults=1001)
    assert r["Error"]["Message"] == ("1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: "
                                     "Member must have value less than or equal to 1000")
    expect_error("StateMachineDoesNotExist", sfn.list_executions, stateMachineArn=ACCOUNT_HEAD + ":stateMachine:missing")
    expect_error("InvalidToken", sfn.list_executions, stateMachineArn=ok, nextToken="x")


@check
def validation_exception_shapes():
    status, body = raw("AWSStepFunctions.ListExecutions", json.dumps({"stateMachineArn": ACCOUNT_HEAD + ":stateMachine:x",
                                                                       "statusFilter": "succeeded"}))
    assert status == 400 and body["__type"] == "ValidationException"
    assert body["message"] == ("1 validation error detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: "
                               "Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]")
    status, body = raw("AWSStepFunctions.StartExecution", "{}")
    assert body["message"] == ("1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: "
                               "Member must not be null"), body


@check
def express_machines():
    ex = machine(type_="EXPRESS")
    r = sfn.start_sync_execution(stateMachineArn=ex, input='{"x": 1}', name="sync1")
    assert r["status"] == "SUCCEEDED" and json.loads(r["output"]) == {"ok": True}
    assert r["executionArn"].startswith(ACCOUNT_HEAD + ":express:") and r["billingDetails"]["billedMemoryUsedInMB"] == 64
    f = sfn.start_sync_execution(stateMachineArn=machine(FAIL_DEF, type_="EXPRESS"))
    assert f["status"] == "FAILED" and f["error"] == "Boom" and f["ResponseMetadata"]["HTTPStatusCode"] == 200
    r = expect_error("StateMachineTypeNotSupported", sfn.start_sync_execution, stateMachineArn=machine())
    assert r["Error"]["Message"] == "This operation is not supported by this type of state machine"
    a = sfn.start_execution(stateMachineArn=ex)["executionArn"]
    expect_error("StateMachineTypeNotSupported", sfn.get_execution_history, executionArn=a)
    expect_error("StateMachineTypeNotSupported", sfn.list_executions, stateMachineArn=ex)
    r = expect_error("InvalidArn", sfn.describe_execution, executionArn=a)
    assert r["Error"]["Message"] == "Invalid Arn: 'Resource type not valid in this context: express'"


@check
def time_skipping_and_clock_control():
    arn = machine(WAIT_DEF)
    e = sfn.start_execution(stateMachineArn=arn)
    d = sfn.describe_execution(executionArn=e["executionArn"])
    assert d["status"] == "SUCCEEDED" and (d["stopDate"] - d["startDate"]).total_seconds() == 86400
    status, c = raw(None, None, path="/_asl/clock", method="GET")
    assert status == 200 and c["mode"] == "virtual"
    status, c2 = raw(None, json.dumps({"seconds": 10}), path="/_asl/clock/advance")
    assert status == 200 and abs(c2["now"] - c["now"] - 10) < 1e-6
    status, h = raw(None, None, path="/_asl/health", method="GET")
    assert (status, h) == (200, {"status": "ok"})


# ---- activities and callbacks --------------------------------------------

def activity_machine(activity_arn, name=None):
    return machine(json.dumps({"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": activity_arn, "End": True}}}), name=name)


@check
def activities_crud():
    name = unique("act")
    a = sfn.create_activity(name=name, tags=[{"key": "k", "value": "v"}])
    assert a["activityArn"] == f"{ACCOUNT_HEAD}:activity:{name}"
    assert sfn.create_activity(name=name)["activityArn"] == a["activityArn"]  # idempotent
    d = sfn.describe_activity(activityArn=a["activityArn"])
    assert d["name"] == name
    assert name in [x["name"] for p in sfn.get_paginator("list_activities").paginate() for x in p["activities"]]
    assert sfn.list_activities(maxResults=1)["activities"]
    expect_error("InvalidName", sfn.create_activity, name="bad*name")
    sfn.delete_activity(activityArn=a["activityArn"])
    r = expect_error("ActivityDoesNotExist", sfn.describe_activity, activityArn=a["activityArn"])
    assert r["Error"]["Message"] == f"Activity Does Not Exist: '{a['activityArn']}'"
    expect_error("ActivityDoesNotExist", sfn.get_activity_task, activityArn=a["activityArn"])
    expect_error("InvalidArn", sfn.delete_activity, activityArn="nope")


@check
def activity_worker_round_trip():
    act = sfn.create_activity(name=unique("worker"))["activityArn"]
    sm = activity_machine(act)
    e = sfn.start_execution(stateMachineArn=sm, name="blocked", input='{"job": 7}')["executionArn"]
    assert sfn.describe_execution(executionArn=e)["status"] == "RUNNING"
    types = [x["type"] for x in sfn.get_execution_history(executionArn=e)["events"]]
    assert types[-1] == "ActivityScheduled", types
    # idempotent StartExecution while RUNNING, ExecutionAlreadyExists otherwise
    again = sfn.start_execution(stateMachineArn=sm, name="blocked", input='{"job": 7}')
    assert again["executionArn"] == e
    r = expect_error("ExecutionAlreadyExists", sfn.start_execution, stateMachineArn=sm, name="blocked", input='{"job": 8}')
    assert r["Error"]["Message"] == f"Execution Already Exists: '{e}'"
    t = sfn.get_activity_task(activityArn=act, workerName="w1")
    assert json.loads(t["input"]) == {"job": 7} and t["taskToken"]
    sfn.send_task_heartbeat(taskToken=t["taskToken"])
    expect_error("InvalidOutput", sfn.send_task_success, taskToken=t["taskToken"], output="{nope")
    sfn.send_task_success(taskToken=t["taskToken"], output='{"done": true}')
    d = sfn.describe_execution(executionArn=e)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"done": True}, d
    types = [x["type"] for x in sfn.get_execution_history(executionArn=e)["events"]]
    assert "ActivitySucceeded" in types and types[-1] == "ExecutionSucceeded", types
    expect_error("ExecutionAlreadyExists", sfn.start_execution, stateMachineArn=sm, name="blocked", input='{"job": 7}')
    r = expect_error("TaskTimedOut", sfn.send_task_success, taskToken=t["taskToken"], output="{}")
    expect_error("TaskTimedOut", sfn.send_task_heartbeat, taskToken=t["taskToken"])
    expect_error("InvalidToken", sfn.send_task_failure, taskToken="not-a-token")
    expect_error("TaskDoesNotExist", sfn.send_task_failure, taskToken="AQB4" + "A" * 168)


@check
def activity_failure_and_long_poll():
    act = sfn.create_activity(name=unique("poll"))["activityArn"]
    t0 = time.time()
    empty = sfn.get_activity_task(activityArn=act)
    assert "taskToken" not in empty and time.time() - t0 >= 0.9, "waits the poll timeout (1 s in tests)"
    sm = activity_machine(act)
    got = {}

    def poll():
        got["task"] = sfn.get_activity_task(activityArn=act, workerName="late")

    th = threading.Thread(target=poll)
    th.start()
    time.sleep(0.2)
    e = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    th.join(10)
    assert got["task"].get("taskToken"), "a waiting poller gets the task as soon as it is scheduled"
    sfn.send_task_failure(taskToken=got["task"]["taskToken"], error="Worker.Error", cause="nope")
    d = sfn.describe_execution(executionArn=e)
    assert d["status"] == "FAILED" and d["error"] == "Worker.Error" and d["cause"] == "nope", d


@check
def stop_execution_and_deleting_state_machine():
    act = sfn.create_activity(name=unique("stop"))["activityArn"]
    sm = activity_machine(act)
    e = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    task = sfn.get_activity_task(activityArn=act)
    s = sfn.stop_execution(executionArn=e, error="Stopped.ByTest", cause="bye")
    d = sfn.describe_execution(executionArn=e)
    assert d["status"] == "ABORTED" and d["stopDate"] == s["stopDate"]
    h = sfn.get_execution_history(executionArn=e)["events"]
    assert h[-1]["type"] == "ExecutionAborted" and h[-1]["executionAbortedEventDetails"] == {"error": "Stopped.ByTest", "cause": "bye"}
    expect_error("TaskTimedOut", sfn.send_task_success, taskToken=task["taskToken"], output="{}")
    expect_error("ValidationException", sfn.stop_execution, executionArn=e)
    e2 = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    sfn.delete_state_machine(stateMachineArn=sm)
    assert sfn.describe_state_machine(stateMachineArn=sm)["status"] == "DELETING"
    expect_error("StateMachineDeleting", sfn.start_execution, stateMachineArn=sm)
    sfn.stop_execution(executionArn=e2)
    expect_error("StateMachineDoesNotExist", sfn.describe_state_machine, stateMachineArn=sm)


@check
def wait_for_task_token_callback():
    d = json.dumps({"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody": {"token.$": "$$.Task.Token"}},
        "End": True}}})
    sm = machine(d)
    e = sfn.start_execution(stateMachineArn=sm)["executionArn"]
    assert sfn.describe_execution(executionArn=e)["status"] == "RUNNING"
    ev = [x for x in sfn.get_execution_history(executionArn=e)["events"] if x["type"] == "TaskScheduled"][0]
    token = json.loads(ev["taskScheduledEventDetails"]["parameters"])["MessageBody"]["token"]
    sfn.send_task_success(taskToken=token, output='{"approved": true}')
    d = sfn.describe_execution(executionArn=e)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"approved": True}, d


@check
def child_executions():
    child = machine(json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"got.$": "$.v"}, "End": True}}}))
    parent = machine(json.dumps({"StartAt": "Run", "States": {"Run": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": child, "Input": {"v": 42}}, "OutputPath": "$.Output", "End": True}}}))
    e = sfn.start_execution(stateMachineArn=parent)["executionArn"]
    d = sfn.describe_execution(executionArn=e)
    assert d["status"] == "SUCCEEDED" and json.loads(d["output"]) == {"got": 42}, d
    kids = sfn.list_executions(stateMachineArn=child)["executions"]
    assert len(kids) == 1 and kids[0]["status"] == "SUCCEEDED"
    # .sync parent waits for a child that waits for an activity worker
    act = sfn.create_activity(name=unique("childact"))["activityArn"]
    child2 = activity_machine(act)
    parent2 = machine(json.dumps({"StartAt": "Run", "States": {"Run": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
        "Parameters": {"StateMachineArn": child2, "Input": "{}"}, "End": True}}}))
    e2 = sfn.start_execution(stateMachineArn=parent2)["executionArn"]
    assert sfn.describe_execution(executionArn=e2)["status"] == "RUNNING"
    t = sfn.get_activity_task(activityArn=act)
    sfn.send_task_success(taskToken=t["taskToken"], output='{"child": "done"}')
    d2 = sfn.describe_execution(executionArn=e2)
    assert d2["status"] == "SUCCEEDED", d2
    assert json.loads(json.loads(d2["output"])["Output"]) == {"child": "done"}


@check
def mock_config_test_case():
    d = json.dumps({"StartAt": "Call", "States": {"Call": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f"}, "OutputPath": "$.Payload", "End": True}}})
    sm = machine(d, name="MockedMachine")
    e = sfn.start_execution(stateMachineArn=sm + "#HappyPath")["executionArn"]
    assert "#" not in e
    out = sfn.describe_execution(executionArn=e)
    assert out["status"] == "SUCCEEDED" and json.loads(out["output"]) == {"hello": "mock"}, out
    e = sfn.start_execution(stateMachineArn=sm + "#Broken")["executionArn"]
    assert sfn.describe_execution(executionArn=e)["error"] == "Lambda.Boom"
    unmocked = sfn.describe_execution(executionArn=sfn.start_execution(stateMachineArn=sm)["executionArn"])
    assert unmocked["status"] == "FAILED" and unmocked["error"] == "AslSim.NoMockedResponse", unmocked
    expect_error("ValidationException", sfn.start_execution, stateMachineArn=sm + "#NoSuchCase")


@check
def map_runs():
    d = json.dumps({"StartAt": "M", "States": {"M": {
        "Type": "Map", "Label": "Items", "ItemsPath": "$.items",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                          "StartAt": "I", "States": {"I": {"Type": "Pass", "End": True}}},
        "End": True}}})
    sm = machine(d)
    e = sfn.start_execution(stateMachineArn=sm, input='{"items": [1, 2, 3]}')["executionArn"]
    desc = sfn.describe_execution(executionArn=e)
    assert desc["status"] == "SUCCEEDED", desc
    runs = sfn.list_map_runs(executionArn=e)["mapRuns"]
    assert len(runs) == 1 and runs[0]["executionArn"] == e
    mr = runs[0]["mapRunArn"]
    assert runs[0]["stateMachineArn"].endswith("/Items")
    m = sfn.describe_map_run(mapRunArn=mr)
    assert m["status"] == "SUCCEEDED" and m["executionArn"] == e
    r = expect_error("ValidationException", sfn.update_map_run, mapRunArn=mr, maxConcurrency=5)
    assert r["Error"].get("reason", "CANNOT_UPDATE_COMPLETED_MAP_RUN") == "CANNOT_UPDATE_COMPLETED_MAP_RUN"
    assert sfn.list_executions(mapRunArn=mr)["executions"] == []
    missing = mr[:-4] + "0000"
    expect_error("ResourceNotFound", sfn.describe_map_run, mapRunArn=missing)
    expect_error("ResourceNotFound", sfn.update_map_run, mapRunArn=missing, maxConcurrency=1)
    expect_error("InvalidArn", sfn.describe_map_run, mapRunArn="arn:aws:states:us-east-1:123456789012:stateMachine:x")
    expect_error("ExecutionDoesNotExist", sfn.list_map_runs, executionArn=ACCOUNT_HEAD + ":execution:x:y")


# ---- tags -----------------------------------------------------------------

@check
def tags():
    arn = machine(tags=[{"key": "a", "value": "1"}])
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "b", "value": "2"}, {"key": "a", "value": "3"}])
    t = {x["key"]: x["value"] for x in sfn.list_tags_for_resource(resourceArn=arn)["tags"]}
    assert t == {"a": "3", "b": "2"}
    sfn.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "b", "value": "2"}]
    r = expect_error("TooManyTags", sfn.tag_resource, resourceArn=arn, tags=[{"key": f"k{i}", "value": "v"} for i in range(50)])
    assert r["Error"].get("resourceName", arn) == arn
    missing = ACCOUNT_HEAD + ":stateMachine:missing"
    r = expect_error("ResourceNotFound", sfn.list_tags_for_resource, resourceArn=missing)
    expect_error("ResourceNotFound", sfn.tag_resource, resourceArn=missing, tags=[{"key": "a", "value": "b"}])
    expect_error("ResourceNotFound", sfn.untag_resource, resourceArn=missing, tagKeys=["a"])
    expect_error("InvalidArn", sfn.list_tags_for_resource, resourceArn="nope")
    expect_error("ValidationException", sfn.tag_resource, resourceArn=arn, tags=[{"key": "aws:reserved", "value": "x"}])
    act = sfn.create_activity(name=unique("tagact"), tags=[{"key": "x", "value": "y"}])["activityArn"]
    assert sfn.list_tags_for_resource(resourceArn=act)["tags"] == [{"key": "x", "value": "y"}]


# ---- protocol -------------------------------------------------------------

@check
def protocol_errors():
    s, b = raw("AWSStepFunctions.ListStateMachines", "{not json")
    assert s == 400 and b["__type"] == "SerializationException", b
    s, b = raw("AWSStepFunctions.ListStateMachines", b"\xff\xfe")
    assert s == 400 and b["__type"] == "SerializationException"
    s, b = raw("AWSStepFunctions.ListStateMachines", "[" * 100000)
    assert s == 400 and b["__type"] == "SerializationException"
    s, b = raw("AWSStepFunctions.ListStateMachines", '{"maxResults": "ten"}')
    assert s == 400 and b["__type"] == "SerializationException"
    s, b = raw("AWSStepFunctions.NoSuchThing", "{}")
    assert s == 400 and b["__type"] == "UnknownOperationException"
    s, b = raw(None, "{}")
    assert s == 400 and b["__type"] == "UnknownOperationException"
    for op in ["TestState", "RedriveExecution", "ListStateMachineVersions", "CreateStateMachineAlias"]:
        s, b = raw("AWSStepFunctions." + op, "{}")
        assert b["__type"] == "UnknownOperationException", op
    s, b = raw("AWSStepFunctions.ListStateMachines", "", content_type="application/json")
    assert s == 200 and "stateMachines" in b
    s, b = raw("AWSStepFunctions.CreateActivity", json.dumps({"name": "x" * 3_000_000}))
    assert s == 413 and b["__type"] == "RequestEntityTooLargeException", (s, b)


@check
def validate_state_machine_definition():
    ok = sfn.validate_state_machine_definition(definition=PASS_DEF)
    assert ok["result"] == "OK" and ok["diagnostics"] == []
    bad = sfn.validate_state_machine_definition(definition=json.dumps({"StartAt": "X", "States": {"A": {"Type": "Pass", "End": True}}}))
    assert bad["result"] == "FAIL" and bad["diagnostics"][0]["severity"] == "ERROR" and "truncated" in bad
    assert all({"severity", "code", "message"} <= set(d) for d in bad["diagnostics"])


def main():
    failed = 0
    for fn in checks:
        try:
            fn()
            print(f"PASS {fn.__name__}", flush=True)
        except Exception as e:  # noqa: BLE001
            failed += 1
            print(f"FAIL {fn.__name__}: {e}", flush=True)
            traceback.print_exc(file=sys.stdout)
    print(f"{len(checks) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
