import torch

from merlai_training.fit import fit


def test_fit_trains_for_its_minutes_and_keeps_the_state_the_validation_liked_best():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    x = torch.randn(256, 1)
    y = 3 * x
    model = torch.nn.Linear(1, 1)
    seen = []

    def batch_loss():
        loss = ((model(x) - y) ** 2).mean()
        return loss, {'mse': loss.item()}

    def validate():
        loss = ((model(x) - y) ** 2).mean().item()
        seen.append((loss, model.weight.item()))
        return loss, {'mse': loss}

    run = fit(model, 0.05, 0.05, batch_loss, validate, validate_every=10)
    assert run['steps'] >= 10 and run['minutes'] >= 0.05
    best_loss, best_weight = min(seen)
    assert best_loss < 0.1, 'it learned y = 3x'
    assert model.weight.item() == best_weight, 'the best validated state is the one kept'


def test_fit_without_a_validation_split_keeps_the_last_state():
    model = torch.nn.Linear(1, 1)
    before = model.weight.item()
    run = fit(model, 0.01, 0.1, lambda: (((model(torch.ones(4, 1)) - 5) ** 2).mean(), {}))
    assert run['steps'] > 0 and model.weight.item() != before
