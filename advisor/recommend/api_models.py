"""Hosted models: catalog names (which carry published scores) mapped to keys of litellm's
bundled price map (which carry prices and context windows). Only models present in both
can be ranked on accuracy; the mapping is explicit so that a reviewer can check it."""

from __future__ import annotations

API_MODEL_KEYS: dict[str, str] = {
    "GPT-4o-2024-11-20": "gpt-4o-2024-11-20",
    "GPT-4o-2024-08-06": "gpt-4o-2024-08-06",
    "GPT-4o-2024-05-13": "gpt-4o-2024-05-13",
    "GPT-4o-mini-2024-07-18": "gpt-4o-mini-2024-07-18",
    "GPT-4-Turbo-2024-04-09": "gpt-4-turbo-2024-04-09",
    "GPT-4-0613": "gpt-4-0613",
    "GPT-3.5-Turbo-0125": "gpt-3.5-turbo-0125",
    "o1-2024-12-17": "o1-2024-12-17",
    "o3-mini (medium)": "o3-mini-2025-01-31",
    "Gemini-2.5-Pro": "gemini/gemini-2.5-pro",
    "Claude-3.5-Sonnet-2024-10-22": "anthropic.claude-3-5-sonnet-20241022-v2:0",
    "Claude-3.5-Sonnet-2024-06-20": "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "Claude-3-Opus": "anthropic.claude-3-opus-20240229-v1:0",
    "Mistral-Large-2402": "mistral.mistral-large-2402-v1:0",
    "Qwen-Turbo (API)": "dashscope/qwen-turbo",
    # open-weight models also sold as a hosted API by their makers
    "DeepSeek-V3": "deepseek/deepseek-chat",
    "DeepSeek-R1": "deepseek/deepseek-reasoner",
    "Mistral-Large-Instruct-2407": "mistral.mistral-large-2407-v1:0",
}
