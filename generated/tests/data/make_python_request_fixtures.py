"""Regenerates python-request-fixtures.json: what JD Cloud's official Python SDK puts on the wire.

    python3 -m venv /tmp/jdvenv2 && /tmp/jdvenv2/bin/pip install jdcloud-sdk==1.6.354 pyyaml
    /tmp/jdvenv2/bin/python make_python_request_fixtures.py > python-request-fixtures.json

(jdcloud-sdk 1.6.354 ships core 1.2.9 and the vm client revision 1.6.1; pyyaml only reads the
spec.)

Three kinds of case. The hand-written `CASES` pick values that stress the encoding. The
`<operationId>_spec` cases, one per operation of schema/jdcloud-vm.yaml, set every parameter and
every field of every nested object the spec declares, with values from `SAMPLES` (chosen by
name, checked against the spec's types and enums; each array holds two different items). The
`<operationId>_required` cases set only what the spec requires, at every depth, to show what
the SDK does with everything left unset.

Each case builds the SDK's own request class (`jdcloud_sdk.services.vm.apis.*Request`) from a
JSON parameter object that uses the SDK's parameter names, with nested objects turned into the
SDK's model classes (the class named like the spec's schema, which must have exactly the spec's
fields), and sends it through the real `VmClient.send` (so the real `parameterbuilder.py` and
client code run) with the module's `requests` replaced by a recorder: nothing leaves the
machine. What `requests` itself would then put on the wire is computed with
`requests.Request(...).prepare()`, which does no I/O. Only the parameters come from the spec;
every expected path, query and body comes from the SDK.

An operation the SDK has no request class for is listed in `uncovered_operations` with the
reason. The script checks the SDK against literals derived by hand from parameterbuilder.py
(see `check_against_hand_derived`), not against itself, and fails loudly if the SDK changes.
"""
import importlib
import inspect
import json
import os
import sys
from urllib.parse import unquote, urlsplit

import requests
import yaml

import jdcloud_sdk.core.jdcloudclient as jdcloudclient
from jdcloud_sdk.core.config import Config
from jdcloud_sdk.core.credential import Credential
from jdcloud_sdk.core.logger import Logger
from jdcloud_sdk.core.parameterbuilder import WithoutBodyBuilder, get_parameter_dict
from jdcloud_sdk.core.util import quote
from jdcloud_sdk.core.version import VERSION as CORE_VERSION
from jdcloud_sdk.services.vm.client.VmClient import VmClient

SDK_VERSION = "1.6.354"
ENDPOINT = "vm.jdcloud-api.com"
SCHEME = "https"
SPEC_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "schema",
                    "jdcloud-vm.yaml")
# Characters the SDK leaves unescaped in query values (quote(..., safe='&=?')) plus '/' and '+',
# which it does escape, and '%', which it escapes without decoding first.
HOSTILE = "a&b=c?d/e+f%g h"

# The SDK package of a spec schema's model class where it is not `vm`; taken from the typed
# models of JD Cloud's Go SDK (../shared/docs/jdcloud-sdk-go), since Python's are untyped.
MODEL_PACKAGES = {"ChargeSpec": "charge", "DiskSpec": "disk", "Filter": "common", "Tag": "disk"}


class Spec(object):
    """The operations of schema/jdcloud-vm.yaml and their parameters' schemas."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = yaml.safe_load(f)

    def resolve(self, schema):
        """(component name or None, schema with its $ref followed)."""
        name = None
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            schema = self.doc["components"]["schemas"][name]
        return name, schema

    def operations(self):
        """{operationId: {"method", "path", "params": {name: schema}, "required": [name]}},
        parameters in spec order, a JSON body's properties after the path and query ones."""
        ops = {}
        for path, item in self.doc["paths"].items():
            for method, op in item.items():
                if method not in ("get", "put", "post", "patch", "delete"):
                    continue
                params = {p["name"]: p["schema"] for p in op.get("parameters", [])}
                required = [p["name"] for p in op.get("parameters", []) if p.get("required")]
                body = op.get("requestBody", {}).get("content", {}).get("application/json")
                if body:
                    body = self.resolve(body["schema"])[1]
                    params.update(body.get("properties", {}))
                    required.extend(body.get("required", []))
                ops[op["operationId"]] = {"method": method.upper(), "path": path, "params": params,
                                          "required": required}
        return ops

    def unset(self, schema, value, pointer):
        """JSON pointers of the spec's properties that `value` leaves out, at any depth."""
        _, schema = self.resolve(schema)
        if schema.get("type") == "array":
            return [p for i, v in enumerate(value) for p in self.unset(schema["items"], v, "%s/%d" % (pointer, i))]
        if "properties" not in schema:
            return []
        out = []
        for key, sub in schema["properties"].items():
            if key in value:
                out.extend(self.unset(sub, value[key], "%s/%s" % (pointer, key)))
            else:
                out.append("%s/%s" % (pointer, key))
        return out


class Pair(tuple):
    """A sample with a value for the first item of an array of objects and one for the second."""


# Sample values by "Owner.name" (owner: the operationId at the top level, else the schema of
# the object holding the field), else by name. An array of scalars takes a list.
SAMPLES = {
    "regionId": "cn-north-1", "az": "cn-north-1a", "instanceId": "i-y2h5rk7q1a",
    "instanceIds": ["i-y2h5rk7q1a", "i-p3n8ws4e6b"], "imageId": "img-m5s0p7ka2z",
    "ids": ["img-m5s0p7ka2z", "img-c8x1q9dz3v"], "sourceImageIds": ["img-m5s0p7ka2z", "img-c8x1q9dz3v"],
    "instanceTemplateId": "it-5sdkd8fx1f", "keyName": "web-key", "keyNames": ["web-key"],
    "agId": "ag-web", "dedicatedHostId": "dh-7mx2", "dedicatedPoolId": "dhpool-3kq1",
    "resourceGroupId": "rg-prod", "autoImagePolicyId": "aip-nightly", "policyId": "policy-daily",
    "snapshotId": "snapshot-h3x9", "diskId": "vol-x6w2k8", "elasticIpId": "fip-q2m7d4",
    "networkInterfaceId": "port-b7n1c5", "subnetId": "subnet-d4v8", "securityGroups": ["sg-web", "sg-ssh"],
    "networkInterfaceName": "eth1", "primaryIpAddress": "10.0.0.4", "privateIpAddress": "10.0.0.8",
    "secondaryIpAddresses": ["10.0.0.5", "10.0.0.6"], "secondaryIpCount": 2, "sanityCheck": 1,
    "ipv6Address": "2400:da00::1", "ipv6AddressCount": 1, "assignIpv6": True, "deviceIndex": 1,
    "instanceType": "g.n2.medium", "name": "web-[001]", "hostname": "web-001",
    "description": "描述 " + HOSTILE, "password": "Pa$$w0rd&=?/+%", "passWordAuth": "yes",
    "passwordAuth": "yes", "imageInherit": "no", "noPassword": False, "noKeyNames": False,
    "noElasticIp": False, "noInstanceTags": False, "isManaged": True, "balance": True,
    "clearLocalDisk": False, "force": True, "chargeOnStopped": "stopCharging", "maxCount": 2,
    "clientToken": "7d3c2f6e-0b1a-4c5d-8e9f-a0b1c2d3e4f5", "autoReleaseTime": "2027-01-01 00:00:00",
    "bandwidthMbps": 5, "provider": "bgp", "burstMode": "unlimited",
    "chargeMode": "prepaid_by_duration", "chargeUnit": "month", "chargeDuration": 3,
    "autoRenew": True, "autoChangeChargeMode": False, "autoChangeChargeModeDate": "2026-12-31 08:00:00",
    "buyScenario": "{\"scene\":\"fixture\"}", "diskCategory": "cloud", "diskType": "ssd.gp1",
    "diskSizeGB": 40, "iops": 3000, "encrypt": True, "multiAttachable": False, "autoDelete": True,
    "noDevice": False, "deviceName": "vdb", "diskFormat": "qcow2", "dataDiskSizeGB": 100,
    "systemDiskSizeGB": 40, "architecture": "x86_64", "bootMode": "uefi", "platform": "Ubuntu",
    "osType": "linux", "osVersion": "22.04", "imageName": "Ubuntu 22.04 中 a&b=c?d/e+f%g~",
    "imageUrl": "https://oss.example.com/bucket/image.qcow2?sig=a+b/c%3D&x=1",
    "imageSource": "private", "rootDeviceType": "cloudDisk", "status": "ready",
    "launchPermission": "specifiedUsers", "serviceCode": "vm", "offline": True,
    "forceImport": False, "deleteSnapshot": True, "deletePrimaryNetworkInterfaceAllElasticIp": True,
    "isAllDisk": False, "roleName": "jdc-export", "ossUrl": "https://oss-cn-north-1.example.com/bucket",
    "ossPrefix": "exports/2026", "destinationRegion": "cn-east-2", "pins": ["jdcloud-user-1", "jdcloud-user-2"],
    "loginNames": ["ops@example.com", "运维"], "publicKey": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGk ops@host",
    "pageNumber": 2, "pageSize": 50, "taskAction": "ImportImage", "taskIds": ["101", "102"],
    "taskStatus": "finished", "startTime": "2026-01-01 00:00:00", "endTime": "2026-01-02 00:00:00",
    "removeInstanceTags": ["old-tag"], "id": 0, "pin": "0-1",
    "describeInstanceTypes.serviceName": "vm", "describeInstanceTypes.chargeMode": "postpaid_by_duration",
    "InstanceTemplateElasticIpSpec.chargeMode": "bandwidth",
    "InstanceTemplateBurstSpec.burstMode": "standard",
    "Filter.name": Pair(["status", "name"]), "Filter.operator": Pair(["in", "like"]),
    "Filter.values": Pair([["running", "stopped"], ["web & db=1?/+%", "数据 库"]]),
    "TagFilter.key": Pair(["env", "team a"]), "TagFilter.values": Pair([["prod", "stage"], ["数据"]]),
    "Tag.key": Pair(["env", "团队"]), "Tag.value": Pair(["prod", "云"]),
    "Metadata.key": Pair(["role", "k2"]), "Metadata.value": Pair(["web", HOSTILE]),
    "Userdata.key": "launch-script", "Userdata.value": "IyEvYmluL2Jhc2gKZWNobyBoaQ==",
    "CloudDiskSpec.deviceName": Pair(["vda", "vdb"]),
    "InstanceDiskAttachmentSpec.deviceName": Pair(["vdb", "vdc"]),
}

# Values that replace a sample in one operation's case: a path parameter that needs escaping.
SPEC_CASE_OVERRIDES = {
    "attachKeypair": {"keyName": "ops key/中?x#y%z"},
    "detachKeypair": {"keyName": "ops key/中 & =x"},
}


def sample_for(owner, name):
    for key in ("%s.%s" % (owner, name), name):
        if key in SAMPLES:
            return SAMPLES[key]
    raise SystemExit("no sample value for %s.%s: add one to SAMPLES" % (owner, name))


def varied(value, schema):
    """A second, different value for the second item of an array of objects."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, list):
        return [varied(v, {}) for v in value]
    if schema.get("enum"):
        values = schema["enum"]
        return values[(values.index(value) + 1) % len(values)]
    return value + "-2"


def sample(spec, schema, owner, name, item, every_field=True):
    """A value of `schema` for field `name` of `owner` with every field set, or only the
    required ones; `item` is 0 or 1, the index of the array item it is in (its values differ
    between the two)."""
    component, schema = spec.resolve(schema)
    if "properties" in schema:
        fields = schema["properties"] if every_field else schema.get("required", [])
        return {k: sample(spec, schema["properties"][k], component, k, item, every_field) for k in fields}
    if schema.get("type") == "array":
        if "properties" in spec.resolve(schema["items"])[1]:
            return [sample(spec, schema["items"], owner, name, i, every_field) for i in (0, 1)]
    value = sample_for(owner, name)
    if isinstance(value, Pair):
        value = value[item]
    elif item:
        value = varied(value, schema)
    check_sample(schema, value, "%s.%s" % (owner, name))
    return value


def check_sample(schema, value, where):
    kind = schema.get("type")
    if kind == "array":
        if not isinstance(value, list):
            raise SystemExit("%s: the sample is not a list" % where)
        for v in value:
            check_sample(schema["items"], v, where)
        return
    expected = {"string": str, "integer": int, "boolean": bool}[kind]
    if not isinstance(value, expected) or (kind == "integer" and isinstance(value, bool)):
        raise SystemExit("%s: the sample %r is not a %s" % (where, value, kind))
    if schema.get("enum") and value not in schema["enum"]:
        raise SystemExit("%s: the sample %r is not one of %s" % (where, value, schema["enum"]))


def spec_case(spec, operation_id, op):
    data = {name: sample(spec, schema, operation_id, name, 0) for name, schema in op["params"].items()}
    data.update(SPEC_CASE_OVERRIDES.get(operation_id, {}))
    return data


def required_case(spec, operation_id, op):
    """Only the required parameters, and of each nested object only its required fields."""
    return {name: sample(spec, op["params"][name], operation_id, name, 0, every_field=False)
            for name in op["required"]}


CHARGE = {"chargeMode": "prepaid_by_duration", "chargeUnit": "month", "chargeDuration": 3,
          "autoRenew": True, "autoChangeChargeMode": False,
          "autoChangeChargeModeDate": "2026-12-31 08:00:00", "buyScenario": "{\"scene\":\"fixture\"}"}


def cloud_disk(name, category_az):
    return {"az": category_az, "name": name, "description": "disk " + name, "diskType": "ssd.gp1",
            "diskSizeGB": 40, "iops": 3000, "snapshotId": "snapshot-abc", "policyId": "policy-abc",
            "charge": CHARGE, "multiAttachable": False, "encrypt": True}


INSTANCE_SPEC = {
    "dedicatedPoolId": "dpool-1", "dedicatedHostId": "dhost-1", "agId": "ag-1", "isManaged": True,
    "instanceTemplateId": "it-1", "az": "cn-north-1a", "instanceType": "g.n2.medium",
    "burstSpec": {"burstMode": "unlimited"}, "imageId": "img-m5s0p7ka2z", "name": "web-[001]",
    "hostname": "web-001", "password": "Pa$$w0rd&=?/+%", "keyNames": ["key-1"],
    "elasticIp": {"bandwidthMbps": 5, "provider": "bgp", "chargeSpec": CHARGE},
    "primaryNetworkInterface": {"deviceIndex": 1, "autoDelete": True, "networkInterface": {
        "subnetId": "subnet-1", "az": "cn-north-1a", "networkInterfaceName": "eth0",
        "primaryIpAddress": "10.0.0.4", "secondaryIpAddresses": ["10.0.0.5", "10.0.0.6"],
        "secondaryIpCount": 2, "securityGroups": ["sg-1", "sg-2"], "sanityCheck": 0,
        "description": "主网卡", "ipv6Address": "2400:da00::1", "ipv6AddressCount": 1}},
    "systemDisk": {"diskCategory": "cloud", "autoDelete": True,
                   "cloudDiskSpec": cloud_disk("sys", "cn-north-1a"), "deviceName": "vda",
                   "noDevice": False},
    "dataDisks": [
        {"diskCategory": "cloud", "autoDelete": False, "cloudDiskSpec": cloud_disk("data1", "cn-north-1a"),
         "deviceName": "vdb", "noDevice": False},
        {"diskCategory": "local", "autoDelete": True, "cloudDiskSpec": cloud_disk("data2", "cn-north-1a"),
         "deviceName": "vdc", "noDevice": True},
    ],
    "charge": CHARGE,
    "metadata": [{"key": "role", "value": "web"}, {"key": "k2", "value": HOSTILE}],
    "userdata": [{"key": "launch-script", "value": "IyEvYmluL2Jhc2gKZWNobyBoaQ=="}],
    "description": "描述 " + HOSTILE, "noPassword": False, "noKeyNames": False, "noElasticIp": False,
    "noInstanceTags": False, "userTags": [{"key": "env", "value": "prod"}, {"key": "团队", "value": "云"}],
    "chargeOnStopped": "stopCharging", "autoImagePolicyId": "aip-1", "passwordAuth": "yes",
    "imageInherit": "no", "resourceGroupId": "rg-1",
    "cpuTopology": {
        "sockets": [{"id": 0, "cores": [{"id": 0, "threads": [{"id": 0, "pin": "0"}, {"id": 1, "pin": "1"}]}]}],
        "numas": [{"id": 0, "cores": [{"id": 0, "threads": [{"id": 0, "pin": "0-1"}]}]}],
    },
}

TEMPLATE_DATA = {
    "instanceType": "g.n2.large", "imageId": "img-2", "password": "Pa$$w0rd2", "keyNames": ["key-2"],
    "metadata": [{"key": "m", "value": "v"}], "userdata": [{"key": "launch-script", "value": "ZWNobw=="}],
    "elasticIp": {"bandwidthMbps": 10, "chargeMode": "bandwidth", "provider": "bgp"},
    "primaryNetworkInterface": {"deviceIndex": 1, "autoDelete": True, "networkInterface": {
        "subnetId": "subnet-2", "securityGroups": ["sg-3"], "sanityCheck": 1, "ipv6AddressCount": 0}},
    "systemDisk": {"diskCategory": "cloud", "autoDelete": True, "cloudDiskSpec": {
        "diskType": "ssd.io1", "diskSizeGB": 50, "snapshotId": "snapshot-2", "policyId": "policy-2",
        "encrypt": False, "iops": 4000}, "deviceName": "vda", "noDevice": False},
    "dataDisks": [{"diskCategory": "cloud", "autoDelete": False, "cloudDiskSpec": {
        "diskType": "hdd.std1", "diskSizeGB": 100, "snapshotId": "snapshot-3", "policyId": "policy-3",
        "encrypt": True, "iops": 500}, "deviceName": "vdb", "noDevice": False}],
    "chargeOnStopped": "keepCharging", "autoImagePolicyId": "aip-2", "passWordAuth": "no",
    "imageInherit": "yes", "noPassword": True, "noElasticIp": True, "burstSpec": {"burstMode": "standard"},
    "instanceTags": [{"key": "owner", "value": "ops"}], "removeInstanceTags": ["old"],
}

# (case id, SDK request class, parameters). Every parameter the request class accepts is set,
# except in the cases whose id ends in "_unset", which show what the SDK does with unset ones.
CASES = [
    ("describeInstances_filters_tags", "DescribeInstances", {
        "regionId": "cn-north-1", "pageNumber": 2, "pageSize": 50,
        "tags": [{"key": "env", "values": ["prod", "stage"]}, {"key": "team a", "values": ["数据"]}],
        "filters": [{"name": "instanceId", "operator": "eq", "values": ["i-abc", "i-def"]},
                    {"name": "name", "operator": "like", "values": ["web & db=1?/+%"]}]}),
    ("describeImages_scalars", "DescribeImages", {
        "regionId": "cn-north-1", "imageSource": "private", "offline": True, "platform": "Ubuntu",
        "ids": ["img-a", "img-b"], "imageName": "Ubuntu 22.04 中 a&b=c?d/e+f%g~",
        "rootDeviceType": "cloudDisk", "launchPermission": "all", "status": "ready", "serviceCode": "vm",
        "architecture": "x86_64", "pageNumber": 3, "pageSize": 100, "instanceIds": ["i-1", "i-2"],
        "bootMode": "uefi"}),
    ("describeInstanceStatus", "DescribeInstanceStatus", {
        "regionId": "cn-east-2", "pageNumber": 1, "pageSize": 10,
        "filters": [{"name": "status", "operator": "in", "values": ["running", "stopped"]}]}),
    ("describeQuotas", "DescribeQuotas", {
        "regionId": "cn-south-1", "imageId": "img-q",
        "filters": [{"name": "resourceTypes", "operator": "eq", "values": ["instance", "keypair"]}]}),
    ("imageTasks", "ImageTasks", {
        "regionId": "cn-north-1", "taskAction": "ImportImage", "taskIds": ["101", "102"],
        "taskStatus": "finished", "startTime": "2026-01-01 00:00:00", "endTime": "2026-01-02 00:00:00",
        "pageNumber": 1, "pageSize": 20}),
    ("describeInstance_path_only", "DescribeInstance", {"regionId": "cn-north-1", "instanceId": "i-abc"}),
    ("deleteInstance", "DeleteInstance", {
        "regionId": "cn-north-1", "instanceId": "i-abc", "deletePrimaryNetworkInterfaceAllElasticIp": True}),
    ("deleteImage", "DeleteImage", {"regionId": "cn-north-1", "imageId": "img-abc", "deleteSnapshot": False}),
    ("deleteKeypair_hostile_path", "DeleteKeypair", {"regionId": "cn-north-1", "keyName": "my key/中?x#y%z"}),
    ("createInstances", "CreateInstances", {
        "regionId": "cn-north-1", "instanceSpec": INSTANCE_SPEC, "maxCount": 2,
        "clientToken": "7d3c2f6e-0b1a-4c5d-8e9f-a0b1c2d3e4f5"}),
    ("stopInstance", "StopInstance", {"regionId": "cn-north-1", "instanceId": "i-abc",
                                      "chargeOnStopped": "stopCharging"}),
    ("stopInstance_unset", "StopInstance", {"regionId": "cn-north-1", "instanceId": "i-abc"}),
    ("startInstance", "StartInstance", {"regionId": "cn-north-1", "instanceId": "i-abc"}),
    ("rebootInstance", "RebootInstance", {"regionId": "cn-north-1", "instanceId": "i-abc"}),
    ("modifyInstanceAttribute", "ModifyInstanceAttribute", {
        "regionId": "cn-north-1", "instanceId": "i-abc", "name": "web-2", "description": "新描述 " + HOSTILE,
        "hostname": "web-2", "metadata": [{"key": "a", "value": "1"}],
        "userdata": [{"key": "launch-script", "value": "ZWNobyBoaQ=="}]}),
    ("updateInstanceTemplate_patch", "UpdateInstanceTemplate", {
        "regionId": "cn-north-1", "instanceTemplateId": "it-abc", "name": "tpl-2", "description": "d",
        "instanceTemplateData": TEMPLATE_DATA}),
    ("createImage", "CreateImage", {
        "regionId": "cn-north-1", "instanceId": "i-abc", "name": "img-backup",
        "description": "备份 " + HOSTILE,
        "dataDisks": [{"diskCategory": "cloud", "autoDelete": True, "cloudDiskSpec": cloud_disk("d", "cn-north-1b"),
                       "deviceName": "vdb", "noDevice": False}]}),
    ("copyImages", "CopyImages", {
        "regionId": "cn-north-1", "sourceImageIds": ["img-a", "img-b"], "destinationRegion": "cn-east-2",
        "name": "copy", "description": "copied"}),
    ("importImage", "ImportImage", {
        "regionId": "cn-north-1", "architecture": "x86_64", "osType": "linux", "platform": "Ubuntu",
        "diskFormat": "qcow2", "systemDiskSizeGB": 40,
        "imageUrl": "https://oss.example.com/bucket/image.qcow2?sig=a+b/c%3D&x=1", "osVersion": "22.04",
        "imageName": "imported", "description": "导入", "forceImport": True,
        "dataDisks": [{"diskFormat": "raw", "dataDiskSizeGB": 100, "imageUrl": "https://oss.example.com/d.raw"}],
        "clientToken": "c0ffee00-0000-4000-8000-000000000001", "bootMode": "bios"}),
    ("exportImage", "ExportImage", {
        "regionId": "cn-north-1", "imageId": "img-abc", "roleName": "jdc-export", "ossUrl": "https://oss.example.com/b",
        "ossPrefix": "exports/", "clientToken": "c0ffee00-0000-4000-8000-000000000002", "isAllDisk": False}),
    ("createKeypair", "CreateKeypair", {"regionId": "cn-north-1", "keyName": "key-1"}),
    ("associateElasticIp", "AssociateElasticIp", {"regionId": "cn-north-1", "instanceId": "i-abc",
                                                  "elasticIpId": "fip-abc"}),
]


class QuietLogger(Logger):
    """The SDK prints every URL and body at INFO to stdout, which is where the fixture goes."""

    def __init__(self):
        super(QuietLogger, self).__init__(-1)

    def log(self, level, message):
        pass


class RecordingRequests(object):
    """Stands in for the `requests` module inside jdcloudclient: records, never connects."""

    def __init__(self):
        self.sent = []

    def request(self, method, url, data=None, headers=None, timeout=None):
        self.sent.append({"method": method, "url": url, "data": data, "headers": dict(headers)})
        return FakeResponse()


class FakeResponse(object):
    status_code = 200
    headers = {"x-jdcloud-request-id": "fixture"}
    content = b'{"requestId": "fixture", "result": {}}'


def sdk_model(component, schema, where):
    """The SDK's model class for a spec schema; its fields must be the schema's properties."""
    package = MODEL_PACKAGES.get(component, "vm")
    module = importlib.import_module("jdcloud_sdk.services.%s.models.%s" % (package, component))
    cls = getattr(module, component)
    fields = set(p for p in inspect.signature(cls.__init__).parameters if p != "self")
    if fields != set(schema["properties"]):
        raise SystemExit("%s: the SDK's %s.%s has fields %s, the spec's %s has %s" % (
            where, package, component, sorted(fields), component, sorted(schema["properties"])))
    return cls


def to_sdk(spec, schema, value, where):
    """`value` (JSON) with each object the spec types by a schema turned into the SDK's model."""
    component, schema = spec.resolve(schema)
    if schema.get("type") == "array" and isinstance(value, list):
        return [to_sdk(spec, schema["items"], v, "%s[%d]" % (where, i)) for i, v in enumerate(value)]
    if "properties" not in schema:
        if isinstance(value, (dict, list)):
            raise SystemExit("%s: a %s where the spec has %s" % (where, type(value).__name__, schema))
        return value
    if not isinstance(value, dict):
        raise SystemExit("%s: not an object" % where)
    cls = sdk_model(component, schema, where)
    unknown = sorted(set(value) - set(schema["properties"]))
    if unknown:
        raise SystemExit("%s: the spec's %s has no field(s) %s" % (where, component, unknown))
    return cls(**{k: to_sdk(spec, schema["properties"][k], v, "%s.%s" % (where, k))
                  for k, v in value.items()})


def build_parameters(spec_op, op, data):
    """Constructor for the required parameters, the SDK's setX methods for the optional ones."""
    module = importlib.import_module("jdcloud_sdk.services.vm.apis.%sRequest" % op)
    cls = getattr(module, op + "Parameters")
    unknown = sorted(set(data) - set(spec_op["params"]))
    if unknown:
        raise SystemExit("%s: the spec has no parameter(s) %s" % (op, unknown))
    value = {k: to_sdk(SPEC, spec_op["params"][k], v, "%s.%s" % (op, k)) for k, v in data.items()}
    required = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    missing = [p for p in required if p not in data]
    if missing:
        raise SystemExit("%s: required parameter(s) %s not given" % (op, missing))
    params = cls(**{k: value[k] for k in required})
    for key in data:
        if key in required:
            continue
        setter = getattr(params, "set" + key[0].upper() + key[1:], None)
        if setter is None:
            raise SystemExit("%s has no parameter %s" % (cls.__name__, key))
        setter(value[key])
    return getattr(module, op + "Request")(params), params


def sdk_class_name(operation_id):
    return operation_id[0].upper() + operation_id[1:]


def missing_from_sdk(operation_id):
    """Why the SDK cannot build `operation_id`, or None if it can."""
    try:
        importlib.import_module("jdcloud_sdk.services.vm.apis.%sRequest" % sdk_class_name(operation_id))
    except ModuleNotFoundError as e:
        return "jdcloud-sdk %s has no request class for it (%s)" % (SDK_VERSION, e)
    return None


def null_pointers(value, pointer=""):
    if value is None:
        return [pointer]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return []
    out = []
    for key, item in items:
        out.extend(null_pointers(item, pointer + "/" + str(key).replace("~", "~0").replace("/", "~1")))
    return out


def parse_query(query):
    """Splits a query string the way a server does: on '&', then the first '=', then %-decodes."""
    if not query:
        return []
    return [[unquote(k), unquote(v)] for k, _, v in (p.partition("=") for p in query.split("&"))]


def boolean_keys(value, prefix=""):
    """Query keys of the JSON booleans in `value`, named the way the query names nested values."""
    if isinstance(value, bool):
        return [prefix]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value, 1)
    else:
        return []
    return [key for k, v in items for key in boolean_keys(v, "%s.%s" % (prefix, k) if prefix else str(k))]


def normalized(pairs, booleans, body, path_params, request, params):
    """The SDK's request with the documented allowances applied: True/False spelled true/false in
    the query, path parameters and null (unset) members dropped from the body; and as our client
    escapes it (each query key and value, and each path parameter as one segment, escaped by the
    SDK's own `quote` with nothing left unescaped but A-Z a-z 0-9 - . _ ~)."""
    def strip_nulls(value):
        if isinstance(value, dict):
            return {k: strip_nulls(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [strip_nulls(v) for v in value]
        return value
    if body is not None:
        body = strip_nulls({k: v for k, v in body.items() if k not in path_params})
    pairs = [[k, v.lower() if k in booleans else v] for k, v in pairs]
    path = "/" + request.version + request.url
    for name in path_params:
        path = path.replace("{%s}" % name, quote(str(get_parameter_dict(params)[name]), safe=""))
    return {
        "query_pairs": pairs,
        "query_string": "&".join("%s=%s" % (quote(k, safe=""), quote(v, safe="")) for k, v in pairs),
        "path": path,
        "body": body,
    }


def record(case_id, operation_id, spec_op, data, recorder, client, may_leave_unset=False):
    op = sdk_class_name(operation_id)
    request, params = build_parameters(spec_op, op, data)
    unset = sorted(k for k, v in get_parameter_dict(params).items() if v is None)
    if unset and not case_id.endswith("_unset") and not may_leave_unset:
        raise SystemExit("%s: parameter(s) %s left unset; every parameter must be set" % (case_id, unset))
    nested_unset = [p for k, v in data.items() for p in SPEC.unset(spec_op["params"][k], v, "/" + k)]

    client.send(request)
    sent = recorder.sent.pop()
    url = sent["url"]
    base = "%s://%s" % (SCHEME, ENDPOINT)
    assert url.startswith(base), url
    # Split as a URL parser would: a '#' or '?' the SDK left inside a path value ends the path.
    rest, _, fragment = url[len(base):].partition("#")
    path, _, query = rest.partition("?")
    path_params = [k for k in get_parameter_dict(params) if "{%s}" % k in request.url]
    path_values = [str(get_parameter_dict(params)[k]) for k in path_params]
    # The SDK's own pairs before it joins and escapes them: what it means to send.
    intended = []
    if request.method in ("GET", "DELETE", "HEAD"):
        raw_pairs = WithoutBodyBuilder()._build_params(get_parameter_dict(params), request.url, "", [])
        intended = [list(p.split("=", 1)) for p in raw_pairs]
    body = json.loads(sent["data"]) if sent["data"] else None
    wire = requests.Request(sent["method"], url, data=sent["data"], headers=sent["headers"]).prepare()
    wire_parts = urlsplit(wire.url)
    booleans = sorted({k for k, _ in intended} & set(boolean_keys(data)))
    if any(v not in ("True", "False") for k, v in intended if k in booleans):
        raise SystemExit("%s: a boolean is not spelled True/False: %s" % (case_id, intended))
    return {
        "id": case_id,
        "operationId": operation_id,
        "sdk_request_class": op + "Request",
        "parameters": data,
        "all_parameters_set": not unset and not nested_unset,
        "unset_fields": nested_unset,
        "method": sent["method"],
        "path_template": "/" + request.version + request.url,
        "path": path,
        "query_string": query,
        "query_pairs": intended,
        "query_pairs_as_parsed": parse_query(query),
        "body": body,
        "body_string": sent["data"],
        "fragment": fragment,
        "url": url,
        "wire": {"url": wire.url, "path": wire_parts.path, "query_string": wire_parts.query,
                 "fragment": wire_parts.fragment},
        "normalized": normalized(intended, booleans, body, path_params, request, params),
        "quirks": {
            "body_path_params": [k for k in path_params if body is not None and k in body],
            "body_nulls": null_pointers(body) if body is not None else [],
            "query_python_booleans": booleans,
            "query_ambiguous": parse_query(query) != intended,
            # A path value that escaping it as one segment would change, but the SDK sends as is.
            "path_params_unescaped": any(quote(v, safe="") != v for v in path_values),
            "wire_differs_from_sdk_url": wire.url != url,
        },
    }


def check_against_hand_derived(cases):
    """Literals worked out by reading parameterbuilder.py and json.dumps, not by running them."""
    by_id = {c["id"]: c for c in cases}
    # _build_params walks the Parameters object's attribute order (path params skipped), lists
    # as key.N (1-based), objects in a list as key.N.field, each value with str() (so True);
    # quote(safe='&=?') then escapes everything else outside [A-Za-z0-9_.~-], UTF-8 first.
    expected = {
        "describeInstances_filters_tags":
            "pageNumber=2&pageSize=50&tags.1.key=env&tags.1.values.1=prod&tags.1.values.2=stage"
            "&tags.2.key=team%20a&tags.2.values.1=%E6%95%B0%E6%8D%AE"
            "&filters.1.name=instanceId&filters.1.operator=eq&filters.1.values.1=i-abc"
            "&filters.1.values.2=i-def&filters.2.name=name&filters.2.operator=like"
            "&filters.2.values.1=web%20&%20db=1?%2F%2B%25",
        "describeImages_scalars":
            "imageSource=private&offline=True&platform=Ubuntu&ids.1=img-a&ids.2=img-b"
            "&imageName=Ubuntu%2022.04%20%E4%B8%AD%20a&b=c?d%2Fe%2Bf%25g~&rootDeviceType=cloudDisk"
            "&launchPermission=all&status=ready&serviceCode=vm&architecture=x86_64&pageNumber=3"
            "&pageSize=100&instanceIds.1=i-1&instanceIds.2=i-2&bootMode=uefi",
        "deleteImage": "deleteSnapshot=False",
        "describeInstance_path_only": "",
    }
    for case_id, query in expected.items():
        got = by_id[case_id]["query_string"]
        if got != query:
            raise SystemExit("%s: SDK query\n  %s\nhand-derived\n  %s" % (case_id, got, query))
    # json.dumps defaults: ", " and ": " separators, non-ASCII as \\uXXXX, parameters' attribute
    # order with path parameters included and unset ones as null.
    bodies = {
        "startInstance": '{"regionId": "cn-north-1", "instanceId": "i-abc"}',
        "stopInstance_unset": '{"regionId": "cn-north-1", "instanceId": "i-abc", "chargeOnStopped": null}',
        "copyImages": '{"regionId": "cn-north-1", "sourceImageIds": ["img-a", "img-b"], '
                      '"destinationRegion": "cn-east-2", "name": "copy", "description": "copied"}',
        "createKeypair": '{"regionId": "cn-north-1", "keyName": "key-1"}',
    }
    for case_id, body in bodies.items():
        got = by_id[case_id]["body_string"]
        if got != body:
            raise SystemExit("%s: SDK body\n  %s\nhand-derived\n  %s" % (case_id, got, body))
    desc = by_id["createImage"]["body_string"]
    if '"description": "\\u5907\\u4efd a&b=c?d/e+f%g h"' not in desc:
        raise SystemExit("createImage: non-ASCII not escaped as expected: " + desc)
    paths = {
        "stopInstance": ("POST", "/v1/regions/cn-north-1/instances/i-abc:stopInstance"),
        "updateInstanceTemplate_patch": ("PATCH", "/v1/regions/cn-north-1/instanceTemplates/it-abc"),
        "deleteKeypair_hostile_path": ("DELETE", "/v1/regions/cn-north-1/keypairs/my key/中?x#y%z"),
        "copyImages": ("POST", "/v1/regions/cn-north-1/images:copyImages"),
    }
    for case_id, (method, path) in paths.items():
        got = (by_id[case_id]["method"], by_id[case_id]["url"][len("%s://%s" % (SCHEME, ENDPOINT)):])
        if got != (method, path):
            raise SystemExit("%s: SDK %s, hand-derived %s" % (case_id, got, (method, path)))


def main():
    recorder = RecordingRequests()
    jdcloudclient.requests = recorder
    client = VmClient(Credential("AKFIXTURE0000001", "SKFIXTURE00000000000000000000001"),
                      Config(ENDPOINT, SCHEME), QuietLogger())
    operations = SPEC.operations()
    cases = []
    for case_id, op, data in CASES:
        operation_id = op[0].lower() + op[1:]
        cases.append(record(case_id, operation_id, operations[operation_id], data, recorder, client))
    check_against_hand_derived(cases)
    uncovered = []
    for operation_id in sorted(operations):
        reason = missing_from_sdk(operation_id)
        if reason:
            uncovered.append({"operationId": operation_id, "reason": reason})
            continue
        case = record(operation_id + "_spec", operation_id, operations[operation_id],
                      spec_case(SPEC, operation_id, operations[operation_id]), recorder, client)
        if not case["all_parameters_set"]:
            raise SystemExit("%s: %s left unset" % (case["id"], case["unset_fields"]))
        cases.append(case)
        cases.append(record(operation_id + "_required", operation_id, operations[operation_id],
                            required_case(SPEC, operation_id, operations[operation_id]), recorder,
                            client, may_leave_unset=True))
    out = {
        "about": "What jdcloud-sdk %s (core %s, vm client %s) builds for each VM operation: "
                 "regenerate with make_python_request_fixtures.py; README.md explains the fields "
                 "and the SDK quirks a comparison must allow for" % (SDK_VERSION, CORE_VERSION, "1.6.1"),
        "sdk_version": SDK_VERSION,
        "endpoint": "%s://%s" % (SCHEME, ENDPOINT),
        "cases": cases,
        "uncovered_operations": uncovered,
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


SPEC = Spec(SPEC_PATH)
main()
