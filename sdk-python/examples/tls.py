#!/usr/bin/env python3
"""TLS: connect with secure_client, trusting a CA and optionally showing a client certificate.

Usage: tls.py --host H --port P --ca ca.pem [--cert client.pem --key client-key.pem]
"""

import argparse
import asyncio

import inlet


async def main(args):
    client = await inlet.secure_client(
        args.host, args.port,
        is_creds_file=True,  # the next three are file names, not PEM contents
        root_certificates=args.ca,
        private_key=args.key,
        certificate_chain=args.cert,
    )
    async with client:
        for node in (await client.describe_cluster()).nodes:
            print("over TLS: node %d at %s" % (node.id, node.address))
        print("streams:", len(await client.list_streams()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6570)
    parser.add_argument("--ca", required=True, help="PEM file of the CA that signed the server's certificate")
    parser.add_argument("--cert", help="PEM file of the client's certificate chain (mutual TLS)")
    parser.add_argument("--key", help="PEM file of the client's private key (mutual TLS)")
    asyncio.run(main(parser.parse_args()))
