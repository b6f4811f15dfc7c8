#!/usr/bin/env python3
"""Creates what `scripts/bench apigw` measures on a running Nimbus: a no-op python function,
an HTTP API with `GET /items/{id}` → that function (payload 2.0, $default stage, auto-deploy),
and, with --proxy-url, a second API whose `ANY /{proxy+}` is an HTTP_PROXY to that URL.
Prints `FUNCTION=… API=… PROXY_API=…` for the shell."""

import argparse
import io
import time
import zipfile

import boto3

SOURCE = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--proxy-url")
    a = p.parse_args()
    session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
    lam = session.client("lambda", endpoint_url=a.endpoint)
    apigw = session.client("apigatewayv2", endpoint_url=a.endpoint)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", SOURCE)
    name = f"apigw-bench-{int(time.time())}"
    arn = lam.create_function(FunctionName=name, Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r",
                              Handler="app.handler", Code={"ZipFile": buffer.getvalue()})["FunctionArn"]
    lam.get_waiter("function_active_v2").wait(FunctionName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    api = apigw.create_api(Name="bench", ProtocolType="HTTP")
    integration = apigw.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=arn, PayloadFormatVersion="2.0")
    apigw.create_route(ApiId=api["ApiId"], RouteKey="GET /items/{id}", Target="integrations/" + integration["IntegrationId"])
    apigw.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    line = f"FUNCTION={name} API={api['ApiId']}"
    if a.proxy_url:
        proxy = apigw.create_api(Name="bench-proxy", ProtocolType="HTTP", Target=a.proxy_url)
        line += f" PROXY_API={proxy['ApiId']}"
    print(line)


if __name__ == "__main__":
    main()
