"""The OpenAI-compatible chat surface's parts: request and response models, reading the conversation,
the token budget, streamed chunks and Open WebUI's task prompts (routes in
:mod:`kommunal.api.routes.openai_compat`)."""
