"""Fakes at the edges of the system: real local servers that tests script and inspect."""

from tests.fakes.openai_server import FakeOpenAIServer, RecordedRequest, ScriptedResponse, unused_port

__all__ = ["FakeOpenAIServer", "RecordedRequest", "ScriptedResponse", "unused_port"]
