"""The management plane: Azure Resource Manager's `Microsoft.CognitiveServices` accounts, their
keys and model deployments, under `/subscriptions/{sub}/resourceGroups/{rg}/providers/...`.

Shapes follow the public ARM specs (Azure/azure-rest-api-specs,
`specification/cognitiveservices/resource-manager/Microsoft.CognitiveServices/stable/2024-10-01/
cognitiveservices.json` and its `examples/`; 2025-06-01 and 2025-09-01 share them for what is
emulated here). Everything lives in `state.store`, so every worker and replica agrees:

- accounts (`accounts.py`) with their keys, which the data plane then accepts (`access.py`);
- deployments are the data plane's own catalogue (`state.deployments`), tagged with the owning
  account in `options["arm"]`, so `/_mock/deployments` and ARM list the same ones;
- provisioning states and long-running operations are computed from the app clock
  (`lifecycle.py`), never from background tasks.
"""
