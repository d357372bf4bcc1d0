"""Semantic Kernel's AzureRealtimeWebsocket (GA, `/openai/v1/realtime?model=`) against mockazure.

SK 1.45.0 builds the WebSocket URL itself from the endpoint, always `wss://` (its
`azure_realtime.py`), so the server runs TLS and this process trusts its certificate through
SSL_CERT_FILE (websockets uses `ssl.create_default_context()`, which reads it).
"""

import base64
from typing import Any

from _harness import KEY, URL, run
from semantic_kernel import Kernel
from semantic_kernel.connectors.ai import FunctionChoiceBehavior
from semantic_kernel.connectors.ai.open_ai import (
    AzureRealtimeExecutionSettings,
    AzureRealtimeWebsocket,
)
from semantic_kernel.contents import ChatHistory, RealtimeAudioEvent, RealtimeTextEvent
from semantic_kernel.functions import kernel_function


def service() -> AzureRealtimeWebsocket:
    # api_version: the AzureOpenAI client needs one; the GA socket never sends it.
    return AzureRealtimeWebsocket(
        deployment_name="gpt-realtime", endpoint=URL, api_key=KEY, api_version="2025-04-01-preview"
    )


async def _until_done(realtime: AzureRealtimeWebsocket, responses: int = 1) -> dict[str, Any]:
    audio, transcript, kinds, done = b"", "", [], []
    async for event in realtime.receive():
        kinds.append(event.service_type)
        if isinstance(event, RealtimeAudioEvent):
            audio += base64.b64decode(event.audio.data_string or "")
        elif isinstance(event, RealtimeTextEvent):
            transcript += event.text.text or ""
        if event.service_type == "response.done":
            done.append(event.service_event.response)
            if len(done) == responses:
                break
    return {
        "audio_bytes": len(audio),
        "transcript": transcript,
        "kinds": sorted(set(kinds)),
        "status": [r.status for r in done],
        "output_types": [[item.type for item in r.output] for r in done],
        "audio_tokens": done[-1].usage.output_token_details.audio_tokens,
    }


async def talk() -> dict[str, Any]:
    realtime = service()
    settings = AzureRealtimeExecutionSettings(
        instructions="Be brief.", voice="marin", output_modalities=["audio"]
    )
    history = ChatHistory()
    history.add_user_message("Tell me about Lisbon.")
    async with realtime(settings=settings, chat_history=history, create_response=True):
        return await _until_done(realtime)


class Weather:
    calls: list[str] = []

    @kernel_function(description="The weather in a city.")
    def get_weather(self, city: str) -> str:
        self.calls.append(city)
        return f"It is sunny and 24 degrees in {city}."


async def tools() -> dict[str, Any]:
    kernel = Kernel()
    kernel.add_plugin(Weather(), "weather")
    realtime = service()
    settings = AzureRealtimeExecutionSettings(
        instructions="Use the tools.",
        output_modalities=["text"],
        function_choice_behavior=FunctionChoiceBehavior.Auto(),
    )
    history = ChatHistory()
    history.add_user_message("What is the weather in Paris?")
    async with realtime(
        settings=settings, chat_history=history, create_response=True, kernel=kernel
    ):
        outcome = await _until_done(realtime, responses=2)
    outcome["calls"] = Weather.calls
    return outcome


if __name__ == "__main__":
    run({"talk": talk, "tools": tools})
