# Observes a resource through aiocoap's library and prints every representation it delivers, one line each, flushed.
# aiocoap-client 0.4.12 --observe prints only the first response (it cancels its observation as soon as that arrives,
# chrysn/aiocoap#395), so the interop test drives the library the way that client should.
# Usage: aiocoap_observe.py CREDENTIALS.json URI
import asyncio
import json
import sys

import aiocoap


async def main(credentials, uri):
    context = await aiocoap.Context.create_client_context()
    with open(credentials, "rb") as file:
        context.client_credentials.load_from_dict(json.load(file))
    request = context.request(aiocoap.Message(code=aiocoap.GET, uri=uri, observe=0))
    first = await request.response
    print(first.code, first.payload.decode("utf-8", "replace"), flush=True)
    async for notification in request.observation:
        print(notification.code, notification.payload.decode("utf-8", "replace"), flush=True)


asyncio.run(main(sys.argv[1], sys.argv[2]))
