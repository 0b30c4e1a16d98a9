"""Regenerates python-request-fixtures.json: what JD Cloud's official Python SDK puts on the wire.

    python3 -m venv /tmp/jdvenv2 && /tmp/jdvenv2/bin/pip install jdcloud-sdk==1.6.354
    /tmp/jdvenv2/bin/python make_python_request_fixtures.py > python-request-fixtures.json

(jdcloud-sdk 1.6.354 ships core 1.2.9 and the vm client revision 1.6.1.)

Each case builds the SDK's own request class (`jdcloud_sdk.services.vm.apis.*Request`) from a
JSON parameter object that uses the SDK's parameter names, with nested objects turned into the
SDK's model classes, and sends it through the real `VmClient.send` (so the real
`parameterbuilder.py` and client code run) with the module's `requests` replaced by a recorder:
nothing leaves the machine. What `requests` itself would then put on the wire is computed with
`requests.Request(...).prepare()`, which does no I/O.

The script checks the SDK against literals derived by hand from parameterbuilder.py (see
`check_against_hand_derived`), not against itself, and fails loudly if the SDK changes.
"""
import importlib
import inspect
import json
import sys
from urllib.parse import quote, unquote, urlsplit

import requests

import jdcloud_sdk.core.jdcloudclient as jdcloudclient
from jdcloud_sdk.core.config import Config
from jdcloud_sdk.core.credential import Credential
from jdcloud_sdk.core.logger import Logger
from jdcloud_sdk.core.parameterbuilder import WithoutBodyBuilder, get_parameter_dict
from jdcloud_sdk.core.version import VERSION as CORE_VERSION
from jdcloud_sdk.services.charge.models.ChargeSpec import ChargeSpec
from jdcloud_sdk.services.common.models.Filter import Filter
from jdcloud_sdk.services.disk.models.DiskSpec import DiskSpec
from jdcloud_sdk.services.disk.models.Tag import Tag
from jdcloud_sdk.services.vm.client.VmClient import VmClient
from jdcloud_sdk.services.vm.models.BurstSpec import BurstSpec
from jdcloud_sdk.services.vm.models.Core import Core
from jdcloud_sdk.services.vm.models.CpuTopology import CpuTopology
from jdcloud_sdk.services.vm.models.DataDiskSpec import DataDiskSpec
from jdcloud_sdk.services.vm.models.ElasticIpSpec import ElasticIpSpec
from jdcloud_sdk.services.vm.models.InstanceDiskAttachmentSpec import InstanceDiskAttachmentSpec
from jdcloud_sdk.services.vm.models.InstanceNetworkInterfaceAttachmentSpec import (
    InstanceNetworkInterfaceAttachmentSpec)
from jdcloud_sdk.services.vm.models.InstanceSpec import InstanceSpec
from jdcloud_sdk.services.vm.models.InstanceTemplateBurstSpec import InstanceTemplateBurstSpec
from jdcloud_sdk.services.vm.models.InstanceTemplateDiskAttachmentSpec import (
    InstanceTemplateDiskAttachmentSpec)
from jdcloud_sdk.services.vm.models.InstanceTemplateDiskSpec import InstanceTemplateDiskSpec
from jdcloud_sdk.services.vm.models.InstanceTemplateElasticIpSpec import InstanceTemplateElasticIpSpec
from jdcloud_sdk.services.vm.models.InstanceTemplateNetworkInterfaceAttachmentSpec import (
    InstanceTemplateNetworkInterfaceAttachmentSpec)
from jdcloud_sdk.services.vm.models.InstanceTemplateNetworkInterfaceSpec import (
    InstanceTemplateNetworkInterfaceSpec)
from jdcloud_sdk.services.vm.models.Metadata import Metadata
from jdcloud_sdk.services.vm.models.NetworkInterfaceSpec import NetworkInterfaceSpec
from jdcloud_sdk.services.vm.models.Numa import Numa
from jdcloud_sdk.services.vm.models.Socket import Socket
from jdcloud_sdk.services.vm.models.TagFilter import TagFilter
from jdcloud_sdk.services.vm.models.Thread import Thread
from jdcloud_sdk.services.vm.models.UpdateInstanceTemplateSpec import UpdateInstanceTemplateSpec
from jdcloud_sdk.services.vm.models.Userdata import Userdata

SDK_VERSION = "1.6.354"
ENDPOINT = "vm.jdcloud-api.com"
SCHEME = "https"
# Characters the SDK leaves unescaped in query values (quote(..., safe='&=?')) plus '/' and '+',
# which it does escape, and '%', which it escapes without decoding first.
HOSTILE = "a&b=c?d/e+f%g h"

# Which SDK model class a nested JSON object becomes, keyed by "Owner.field"; taken from the
# typed models of JD Cloud's Go SDK (../shared/docs/jdcloud-sdk-go), since Python's are untyped.
MODELS = {
    "DescribeInstancesParameters.filters": Filter,
    "DescribeInstancesParameters.tags": TagFilter,
    "DescribeInstanceStatusParameters.filters": Filter,
    "DescribeQuotasParameters.filters": Filter,
    "CreateInstancesParameters.instanceSpec": InstanceSpec,
    "InstanceSpec.burstSpec": BurstSpec,
    "InstanceSpec.elasticIp": ElasticIpSpec,
    "InstanceSpec.primaryNetworkInterface": InstanceNetworkInterfaceAttachmentSpec,
    "InstanceSpec.systemDisk": InstanceDiskAttachmentSpec,
    "InstanceSpec.dataDisks": InstanceDiskAttachmentSpec,
    "InstanceSpec.charge": ChargeSpec,
    "InstanceSpec.metadata": Metadata,
    "InstanceSpec.userdata": Userdata,
    "InstanceSpec.userTags": Tag,
    "InstanceSpec.cpuTopology": CpuTopology,
    "ElasticIpSpec.chargeSpec": ChargeSpec,
    "InstanceNetworkInterfaceAttachmentSpec.networkInterface": NetworkInterfaceSpec,
    "InstanceDiskAttachmentSpec.cloudDiskSpec": DiskSpec,
    "DiskSpec.charge": ChargeSpec,
    "CpuTopology.sockets": Socket,
    "CpuTopology.numas": Numa,
    "Socket.cores": Core,
    "Numa.cores": Core,
    "Core.threads": Thread,
    "ModifyInstanceAttributeParameters.metadata": Metadata,
    "ModifyInstanceAttributeParameters.userdata": Userdata,
    "CreateImageParameters.dataDisks": InstanceDiskAttachmentSpec,
    "ImportImageParameters.dataDisks": DataDiskSpec,
    "UpdateInstanceTemplateParameters.instanceTemplateData": UpdateInstanceTemplateSpec,
    "UpdateInstanceTemplateSpec.metadata": Metadata,
    "UpdateInstanceTemplateSpec.userdata": Userdata,
    "UpdateInstanceTemplateSpec.elasticIp": InstanceTemplateElasticIpSpec,
    "UpdateInstanceTemplateSpec.primaryNetworkInterface": InstanceTemplateNetworkInterfaceAttachmentSpec,
    "UpdateInstanceTemplateSpec.systemDisk": InstanceTemplateDiskAttachmentSpec,
    "UpdateInstanceTemplateSpec.dataDisks": InstanceTemplateDiskAttachmentSpec,
    "UpdateInstanceTemplateSpec.burstSpec": InstanceTemplateBurstSpec,
    "UpdateInstanceTemplateSpec.instanceTags": Tag,
    "InstanceTemplateNetworkInterfaceAttachmentSpec.networkInterface": InstanceTemplateNetworkInterfaceSpec,
    "InstanceTemplateDiskAttachmentSpec.cloudDiskSpec": InstanceTemplateDiskSpec,
}

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


def build_model(cls, data):
    accepted = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    unknown = sorted(set(data) - set(accepted))
    if unknown:
        raise SystemExit("%s has no field(s) %s" % (cls.__name__, unknown))
    return cls(**{k: convert(cls.__name__, k, v) for k, v in data.items()})


def convert(owner, field, value):
    model = MODELS.get("%s.%s" % (owner, field))
    if model is None:
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict) for v in value)):
            raise SystemExit("no SDK model known for %s.%s" % (owner, field))
        return value
    if isinstance(value, list):
        return [build_model(model, item) for item in value]
    return build_model(model, value)


def build_parameters(op, data):
    """Constructor for the required parameters, the SDK's setX methods for the optional ones."""
    module = importlib.import_module("jdcloud_sdk.services.vm.apis.%sRequest" % op)
    cls = getattr(module, op + "Parameters")
    required = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    missing = [p for p in required if p not in data]
    if missing:
        raise SystemExit("%s: required parameter(s) %s not given" % (op, missing))
    params = cls(**{k: convert(cls.__name__, k, data[k]) for k in required})
    for key in data:
        if key in required:
            continue
        setter = getattr(params, "set" + key[0].upper() + key[1:], None)
        if setter is None:
            raise SystemExit("%s has no parameter %s" % (cls.__name__, key))
        setter(convert(cls.__name__, key, data[key]))
    return getattr(module, op + "Request")(params), params


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


def normalized(pairs, booleans, body, path_params):
    """The SDK's request with the documented allowances applied: True/False spelled true/false in
    the query, path parameters and null (unset) members dropped from the body."""
    def strip_nulls(value):
        if isinstance(value, dict):
            return {k: strip_nulls(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [strip_nulls(v) for v in value]
        return value
    if body is not None:
        body = strip_nulls({k: v for k, v in body.items() if k not in path_params})
    return {"query_pairs": [[k, v.lower() if k in booleans else v] for k, v in pairs], "body": body}


def record(case_id, op, data, recorder, client):
    request, params = build_parameters(op, data)
    unset = sorted(k for k, v in get_parameter_dict(params).items() if v is None)
    if unset and not case_id.endswith("_unset"):
        raise SystemExit("%s: parameter(s) %s left unset; every parameter must be set" % (case_id, unset))

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
        "operationId": op[0].lower() + op[1:],
        "sdk_request_class": op + "Request",
        "parameters": data,
        "all_parameters_set": not unset,
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
        "normalized": normalized(intended, booleans, body, path_params),
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
    cases = [record(case_id, op, data, recorder, client) for case_id, op, data in CASES]
    check_against_hand_derived(cases)
    out = {
        "about": "What jdcloud-sdk %s (core %s, vm client %s) builds for each VM operation: "
                 "regenerate with make_python_request_fixtures.py; README.md explains the fields "
                 "and the SDK quirks a comparison must allow for" % (SDK_VERSION, CORE_VERSION, "1.6.1"),
        "sdk_version": SDK_VERSION,
        "endpoint": "%s://%s" % (SCHEME, ENDPOINT),
        "cases": cases,
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


main()
