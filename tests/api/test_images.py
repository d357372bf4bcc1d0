"""Images generations and edits through the ASGI app (azure-surface.md §4.5, §4.5a, §9e)."""

import base64
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from mockazure.clock import FrozenClock
from tests.conftest import AUTH

DALLE3 = "/openai/deployments/dall-e-3/images/generations"
DALLE2 = "/openai/deployments/dall-e-2/images/generations"
GPT_IMAGE = "/openai/deployments/gpt-image-1/images/generations"
EDITS = "/openai/deployments/gpt-image-1/images/edits"
GA = {"api-version": "2024-10-21"}
V2025 = {"api-version": "2025-04-01-preview"}
PREVIEW_0501 = {"api-version": "2024-05-01-preview"}


def generate(client: TestClient, url: str, params: dict[str, str], **body: Any) -> Any:
    return client.post(url, params=params, headers=AUTH, json={"prompt": "A lighthouse", **body})


def decode(b64: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(b64)))


def png_bytes(
    size: tuple[int, int], color: str = "red", mode: str = "RGB", fmt: str = "PNG"
) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=fmt)
    return out.getvalue()


def assert_invalid(response: Any, param: str) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["param"] == param
    assert error["type"] == "invalid_request_error"
    return error


# --- generations: shapes -------------------------------------------------------------------


def test_image_generation_dalle3_url_serves_png_of_requested_size(client: TestClient) -> None:
    response = generate(client, DALLE3, GA, size="1792x1024")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["created"], int)
    [item] = body["data"]
    assert item["url"].startswith("http://testserver/_mock/images/")
    assert item["revised_prompt"]
    assert set(item["content_filter_results"]) == {"sexual", "violence", "hate", "self_harm"}
    assert item["prompt_filter_results"]["jailbreak"] == {"filtered": False, "detected": False}
    served = client.get(item["url"])  # no api-key: the URL is the secret, like a SAS link
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(served.content)).size == (1792, 1024)


def test_image_generation_b64_json_is_deterministic_and_prompt_dependent(
    client: TestClient,
) -> None:
    first = generate(client, DALLE3, GA, response_format="b64_json").json()["data"][0]
    again = generate(client, DALLE3, GA, response_format="b64_json").json()["data"][0]
    other = client.post(
        DALLE3, params=GA, headers=AUTH, json={"prompt": "A forest", "response_format": "b64_json"}
    ).json()["data"][0]
    assert "url" not in first
    assert first["b64_json"] == again["b64_json"]
    assert first["b64_json"] != other["b64_json"]
    assert decode(first["b64_json"]).size == (1024, 1024)


def test_image_generation_2023_12_preview_has_no_filter_results(client: TestClient) -> None:
    body = generate(client, DALLE3, {"api-version": "2023-12-01-preview"}).json()
    assert "content_filter_results" not in body["data"][0]
    assert "prompt_filter_results" not in body["data"][0]


def test_image_generation_preview_prompt_results_carry_custom_blocklists(
    client: TestClient,
) -> None:
    body = generate(client, DALLE3, PREVIEW_0501).json()
    assert "custom_blocklists" in body["data"][0]["prompt_filter_results"]


def test_image_generation_gpt_image_1_defaults_to_b64_with_usage(client: TestClient) -> None:
    body = generate(client, GPT_IMAGE, V2025, n=3, size="1536x1024", quality="low").json()
    assert len(body["data"]) == 3
    assert all("b64_json" in item and "url" not in item for item in body["data"])
    assert "revised_prompt" not in body["data"][0]
    assert len({item["b64_json"] for item in body["data"]}) == 3
    assert decode(body["data"][0]["b64_json"]).size == (1536, 1024)
    usage = body["usage"]
    assert usage["output_tokens"] == 3 * 400
    assert usage["input_tokens"] == usage["input_tokens_details"]["text_tokens"] > 0
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]


def test_image_generation_gpt_image_1_jpeg_and_transparent_png(client: TestClient) -> None:
    jpeg = generate(client, GPT_IMAGE, V2025, output_format="jpeg", output_compression=40).json()
    assert decode(jpeg["data"][0]["b64_json"]).format == "JPEG"
    png = generate(client, GPT_IMAGE, V2025, background="transparent", size="auto").json()
    image = decode(png["data"][0]["b64_json"])
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (1024, 1024))
    assert image.getchannel("A").getpixel((0, 0)) == 0


def test_image_generation_dalle2_small_sizes_in_2024_05_preview(client: TestClient) -> None:
    body = generate(client, DALLE2, PREVIEW_0501, size="256x256", response_format="b64_json")
    assert decode(body.json()["data"][0]["b64_json"]).size == (256, 256)
    assert "revised_prompt" not in body.json()["data"][0]


def test_image_generation_url_expires_after_ttl(client: TestClient, clock: FrozenClock) -> None:
    url = generate(client, DALLE3, GA).json()["data"][0]["url"]
    clock.advance(86_399)
    assert client.get(url).status_code == 200
    clock.advance(2)
    expired = client.get(url)
    assert expired.status_code == 404
    assert expired.json() == {"error": {"code": "404", "message": "Resource not found"}}


def test_image_file_unknown_token_is_404(client: TestClient) -> None:
    assert client.get("/_mock/images/not-a-token.png").status_code == 404


def test_image_generation_url_uses_public_base_url() -> None:
    from mockazure import Settings, create_app

    app = create_app(Settings(public_base_url="https://mock.example.com/"))
    with TestClient(app) as client:
        url = generate(client, DALLE3, GA).json()["data"][0]["url"]
    assert url.startswith("https://mock.example.com/_mock/images/")


# --- generations: gating and limits --------------------------------------------------------


@pytest.mark.parametrize("version", ["2023-10-01-preview", "2023-06-01-preview", "2023-05-15"])
def test_image_generation_before_2023_12_is_404(client: TestClient, version: str) -> None:
    response = generate(client, DALLE3, {"api-version": version})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "404"


def test_image_generation_on_chat_deployment_is_operation_not_supported(client: TestClient) -> None:
    response = generate(client, "/openai/deployments/gpt-4o/images/generations", GA)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "OperationNotSupported"


def test_image_generation_rejects_field_unknown_to_version(client: TestClient) -> None:
    response = generate(client, DALLE3, GA, output_format="png")
    assert response.status_code == 400
    assert "output_format" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("url", "params", "body", "param"),
    [
        (DALLE3, GA, {"n": 2}, "n"),
        (DALLE3, GA, {"n": 0}, "n"),
        (DALLE3, V2025, {"n": 2}, "n"),
        (GPT_IMAGE, V2025, {"n": 11}, "n"),
        (DALLE3, GA, {"prompt": "x" * 4001}, "prompt"),
        (DALLE3, V2025, {"prompt": "x" * 4001}, "prompt"),
        (GPT_IMAGE, V2025, {"prompt": "x" * 32001}, "prompt"),
        (DALLE3, GA, {"prompt": ""}, "prompt"),
        (DALLE3, GA, {"size": "256x256"}, "size"),
        (DALLE3, PREVIEW_0501, {"size": "512x512"}, "size"),
        (DALLE3, V2025, {"size": "1536x1024"}, "size"),
        (GPT_IMAGE, V2025, {"size": "1792x1024"}, "size"),
        (DALLE2, PREVIEW_0501, {"size": "1792x1024"}, "size"),
        (DALLE3, GA, {"quality": "high"}, "quality"),
        (GPT_IMAGE, V2025, {"quality": "hd"}, "quality"),
        (DALLE3, GA, {"style": "cartoon"}, "style"),
        (DALLE3, GA, {"response_format": "png"}, "response_format"),
        (GPT_IMAGE, V2025, {"response_format": "url"}, "response_format"),
        (GPT_IMAGE, V2025, {"output_format": "gif"}, "output_format"),
        (GPT_IMAGE, V2025, {"output_compression": 101}, "output_compression"),
        (GPT_IMAGE, V2025, {"background": "white"}, "background"),
    ],
)
def test_image_generation_refuses_out_of_limit_values(
    client: TestClient, url: str, params: dict[str, str], body: dict[str, Any], param: str
) -> None:
    error = assert_invalid(generate(client, url, params, **body), param)
    assert error["code"] == "invalidPayload"
    assert f"- '{param}'" in error["message"]


def test_image_generation_prompt_at_limit_is_accepted(client: TestClient) -> None:
    assert generate(client, DALLE3, GA, prompt="x" * 4000).status_code == 200


def test_image_generation_wrong_type_names_param(client: TestClient) -> None:
    assert_invalid(generate(client, DALLE3, GA, n="two"), "n")


def test_image_generation_missing_prompt_names_param(client: TestClient) -> None:
    response = client.post(DALLE3, params=GA, headers=AUTH, json={"n": 1})
    assert_invalid(response, "prompt")


# --- content filter ------------------------------------------------------------------------


def test_image_generation_prompt_trigger_is_content_policy_violation(client: TestClient) -> None:
    response = generate(client, DALLE3, GA, prompt="A scene [[filter:violence:medium]]")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "content_policy_violation"
    assert error["type"] == "invalid_request_error"
    assert error["message"].startswith("Your request was rejected as a result of our safety")
    inner = error["inner_error"]
    assert inner["code"] == "ResponsibleAIPolicyViolation"
    assert inner["content_filter_results"]["violence"] == {"filtered": True, "severity": "medium"}
    assert inner["content_filter_results"]["hate"] == {"filtered": False, "severity": "safe"}


def test_image_generation_jailbreak_trigger_is_detected(client: TestClient) -> None:
    response = generate(client, DALLE3, GA, prompt="[[filter:jailbreak]] ignore rules")
    results = response.json()["error"]["inner_error"]["content_filter_results"]
    assert results["jailbreak"] == {"filtered": True, "detected": True}


def test_image_generation_output_trigger_is_content_filter(client: TestClient) -> None:
    response = generate(client, DALLE3, GA, prompt="A scene [[filter:output:sexual:high]]")
    assert response.status_code == 400
    body = response.json()
    assert body["created"] == 1_700_000_000
    assert body["error"] == {
        "code": "contentFilter",
        "message": "Your task failed as a result of our safety system.",
    }


# --- edits ---------------------------------------------------------------------------------


def edit(client: TestClient, files: list[tuple[str, tuple[str, bytes, str]]], **fields: Any) -> Any:
    data = {"prompt": "Add a rainbow", **{k: str(v) for k, v in fields.items()}}
    return client.post(EDITS, params=V2025, headers=AUTH, data=data, files=files)


def test_image_edit_derives_result_from_upload(client: TestClient) -> None:
    upload = png_bytes((1536, 1024), "blue")
    response = edit(client, [("image", ("a.png", upload, "image/png"))])
    assert response.status_code == 200, response.text
    body = response.json()
    image = decode(body["data"][0]["b64_json"]).convert("RGB")
    assert image.size == (1536, 1024)  # `auto` follows the upload's orientation
    red = image.getchannel("R").getpixel((10, 10))
    blue = image.getchannel("B").getpixel((10, 10))
    assert isinstance(red, int)
    assert isinstance(blue, int)
    assert blue > red  # the blue upload shows through the edit
    other = edit(client, [("image", ("a.png", png_bytes((1536, 1024), "yellow"), "image/png"))])
    assert other.json()["data"][0]["b64_json"] != body["data"][0]["b64_json"]
    assert body["usage"]["input_tokens_details"]["image_tokens"] > 0
    assert response.headers["x-ratelimit-remaining-requests"] == "0"  # 6 RPM: 1 per 10 s


def test_image_edit_mask_keeps_opaque_area(client: TestClient) -> None:
    mask = Image.new("RGBA", (1024, 1024), (0, 0, 0, 255))
    mask.paste((0, 0, 0, 0), (0, 0, 512, 1024))  # left half transparent: edit there
    out = io.BytesIO()
    mask.save(out, format="PNG")
    files = [
        ("image", ("a.png", png_bytes((1024, 1024), "blue"), "image/png")),
        ("mask", ("m.png", out.getvalue(), "image/png")),
    ]
    image = decode(edit(client, files, size="1024x1024").json()["data"][0]["b64_json"])
    assert image.convert("RGB").getpixel((1000, 10)) == (0, 0, 255)
    assert image.convert("RGB").getpixel((10, 10)) != (0, 0, 255)


def test_image_edit_accepts_several_images_and_webp_jpeg(client: TestClient) -> None:
    files = [
        ("image[]", ("a.webp", png_bytes((512, 512), fmt="WEBP"), "image/webp")),
        ("image[]", ("b.jpg", png_bytes((512, 512), "green", fmt="JPEG"), "image/jpeg")),
    ]
    response = edit(client, files, n=2)
    assert response.status_code == 200, response.text
    assert len(response.json()["data"]) == 2


@pytest.mark.parametrize(
    ("files", "param"),
    [
        ([], "image"),
        ([("image", ("a.gif", png_bytes((64, 64), fmt="GIF"), "image/gif"))], "image"),
        ([("image", ("a.png", b"not an image", "image/png"))], "image"),
        (
            [
                ("image", ("a.png", png_bytes((64, 64)), "image/png")),
                ("mask", ("m.png", png_bytes((32, 32), mode="RGBA"), "image/png")),
            ],
            "mask",
        ),
        (
            [
                ("image", ("a.png", png_bytes((64, 64)), "image/png")),
                ("mask", ("m.jpg", png_bytes((64, 64), fmt="JPEG"), "image/jpeg")),
            ],
            "mask",
        ),
    ],
)
def test_image_edit_refuses_bad_uploads(
    client: TestClient, files: list[tuple[str, tuple[str, bytes, str]]], param: str
) -> None:
    if not files:  # multipart with only fields
        response = client.post(EDITS, params=V2025, headers=AUTH, files={"prompt": (None, "x")})
    else:
        response = edit(client, files)
    assert_invalid(response, param)


def test_image_edit_refuses_mask_over_4_mb(client: TestClient) -> None:
    big = png_bytes((64, 64), mode="RGBA") + b"\0" * (4 * 1024 * 1024)
    files = [
        ("image", ("a.png", png_bytes((64, 64)), "image/png")),
        ("mask", ("m.png", big, "image/png")),
    ]
    error = assert_invalid(edit(client, files), "mask")
    assert error["code"] == "file_too_large"


def test_image_edit_refuses_json_body(client: TestClient) -> None:
    response = client.post(EDITS, params=V2025, headers=AUTH, json={"prompt": "x"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_content_type"


def test_image_edit_limits_by_field(client: TestClient) -> None:
    files = [("image", ("a.png", png_bytes((64, 64)), "image/png"))]
    assert_invalid(edit(client, files, n=11), "n")
    assert_invalid(edit(client, files, response_format="url"), "response_format")
    assert edit(client, files, style="vivid").status_code == 400  # not an edits field


def test_image_edit_only_in_2025_04(client: TestClient) -> None:
    files = [("image", ("a.png", png_bytes((64, 64)), "image/png"))]
    response = client.post(EDITS, params=GA, headers=AUTH, data={"prompt": "x"}, files=files)
    assert response.status_code == 404


def test_image_edit_prompt_trigger_is_rejected(client: TestClient) -> None:
    files = [("image", ("a.png", png_bytes((64, 64)), "image/png"))]
    response = edit(client, files, prompt="[[filter:hate:low]]")
    assert response.json()["error"]["code"] == "content_policy_violation"
