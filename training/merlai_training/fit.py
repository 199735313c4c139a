"""The training loop the small models (dynamics, drums) share: AdamW for a time budget on the short-run learning
rate schedule, the validation loss choosing the state kept (early stopping)."""
import copy
import json
import time

import torch

from .losses import short_run_learning_rate


def fit(model, minutes, learning_rate, batch_loss, validate=None, validate_every=500):
    """Trains MODEL in place for MINUTES. `batch_loss()` draws a batch and returns (loss to minimise, {name: float}
    for the log); `validate()`, where there is a validation split, returns (loss, {name: figure}); every
    VALIDATE_EVERY steps it is asked, and the state with its lowest loss is the one kept. The batch's figures are logged
    as often, with or without a validation split. -> {'minutes', 'steps'}"""
    opt = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)
    t0, step = time.time(), 0
    best, best_loss = copy.deepcopy(model.state_dict()), float('inf')
    while time.time() - t0 < minutes * 60:
        for g in opt.param_groups:
            g['lr'] = short_run_learning_rate((time.time() - t0) / (minutes * 60), learning_rate)
        loss, parts = batch_loss()
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % validate_every == 0:
            figures = {}
            if validate:
                v_loss, figures = validate()
                if v_loss < best_loss:
                    best, best_loss = copy.deepcopy(model.state_dict()), v_loss
            print('step %d  %.1f min  %s  val %s' % (step, (time.time() - t0) / 60, ' '.join(
                '%s %.4f' % kv for kv in parts.items()), json.dumps(figures)), flush=True)
    if best_loss < float('inf'):
        model.load_state_dict(best)
    return {'minutes': round((time.time() - t0) / 60, 2), 'steps': step}
