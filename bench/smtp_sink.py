"""A mail server that accepts every message and keeps none: the reminder emails go through
Django's real SMTP backend to it, so their cost includes talking SMTP."""

import asyncio
import threading


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.port = 0
        self.messages = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "SmtpSink":
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._session, self.host, 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        server.close()

    async def _session(self, reader, writer) -> None:
        writer.write(b"220 bench ESMTP\r\n")
        try:
            while line := await reader.readline():
                command = line[:4].upper()
                if command in (b"EHLO", b"HELO"):
                    writer.write(b"250 bench\r\n")
                elif command == b"DATA":
                    writer.write(b"354 go on\r\n")
                    await writer.drain()
                    while (body := await reader.readline()) and body != b".\r\n":
                        pass
                    self.messages += 1
                    writer.write(b"250 kept nowhere\r\n")
                elif command == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    await writer.drain()
                    break
                else:
                    writer.write(b"250 ok\r\n")
                await writer.drain()
        finally:
            writer.close()
