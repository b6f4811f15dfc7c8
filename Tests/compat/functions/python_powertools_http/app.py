"""A Powertools HTTP API application, unchanged from how it runs on AWS."""

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response

app = APIGatewayHttpResolver()


@app.get("/items/<item_id>")
def get_item(item_id):
    return {"id": item_id, "q": app.current_event.get_query_string_value("q"), "route": app.current_event.route_key}


@app.post("/items")
def create_item():
    return Response(status_code=201, content_type="application/json", body={"created": app.current_event.json_body},
                    headers={"x-created": "yes"})


def handler(event, context):
    return app.resolve(event, context)
