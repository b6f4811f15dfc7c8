"""A handler written the way Powertools users write them: structured logs with the
Lambda context injected, and boto3 (no endpoint) calling the platform it runs on."""

import boto3
from aws_lambda_powertools import Logger

logger = Logger(service="compat")


@logger.inject_lambda_context
def handler(event, context):
    logger.info("hello powertools", extra={"marker": event.get("marker")})
    identity = boto3.client("sts").get_caller_identity()
    return {"account": identity["Account"], "request_id": context.aws_request_id}
