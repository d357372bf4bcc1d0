"""instructor against mockazure (issue 15): JSON and TOOLS modes, a validation re-ask that
converges, and create_iterable, all parsed from mockazure's answers without stubs."""

from typing import Any

import instructor
from _harness import API_VERSION, KEY, URL, run
from openai import AzureOpenAI
from pydantic import BaseModel, field_validator

MESSAGES = [{"role": "user", "content": "Extract: Jason is 25 years old and lives in Paris."}]


class Address(BaseModel):
    city: str
    country: str


class User(BaseModel):
    name: str
    age: int
    address: Address
    hobbies: list[str]


def client(mode: instructor.Mode) -> Any:
    sdk = AzureOpenAI(azure_endpoint=URL, api_key=KEY, api_version=API_VERSION, max_retries=0)
    return instructor.from_openai(sdk, mode=mode)


def json_mode() -> dict[str, Any]:
    user = client(instructor.Mode.JSON).chat.completions.create(
        model="gpt-4o", response_model=User, messages=MESSAGES, max_retries=0
    )
    return user.model_dump()


def tools_mode() -> dict[str, Any]:
    user = client(instructor.Mode.TOOLS).chat.completions.create(
        model="gpt-4o", response_model=User, messages=MESSAGES, max_retries=0
    )
    return user.model_dump()


SEEN: list[str] = []


class Checked(BaseModel):
    """Rejects its first answer, as a validator does that the model must be re-asked about."""

    name: str
    age: int

    @field_validator("name")
    @classmethod
    def _second_time(cls, value: str) -> str:
        SEEN.append(value)
        if len(SEEN) == 1:
            raise ValueError("name must be spelled out in full")
        return value


def tools_retry() -> dict[str, Any]:
    kept = client(instructor.Mode.TOOLS)
    user, completion = kept.chat.completions.create_with_completion(
        model="gpt-4o", response_model=Checked, messages=MESSAGES, max_retries=2
    )
    return {
        "user": user.model_dump(),
        "attempts": len(SEEN),
        "finish": completion.choices[0].finish_reason,
    }


def json_retry() -> dict[str, Any]:
    SEEN.clear()
    user = client(instructor.Mode.JSON).chat.completions.create(
        model="gpt-4o", response_model=Checked, messages=MESSAGES, max_retries=2
    )
    return {"user": user.model_dump(), "attempts": len(SEEN)}


def _iterable(mode: instructor.Mode) -> dict[str, Any]:
    users = client(mode).chat.completions.create_iterable(
        model="gpt-4o",
        response_model=User,
        messages=[{"role": "user", "content": "Jason is 25, Sarah is 30 and Tom is 41."}],
        max_retries=0,
    )
    return {"users": [user.model_dump() for user in users]}


def iterable() -> dict[str, Any]:
    return _iterable(instructor.Mode.TOOLS)


def iterable_json() -> dict[str, Any]:
    return _iterable(instructor.Mode.JSON)


if __name__ == "__main__":
    run(
        {
            "json_mode": json_mode,
            "tools_mode": tools_mode,
            "tools_retry": tools_retry,
            "json_retry": json_retry,
            "iterable": iterable,
            "iterable_json": iterable_json,
        }
    )
