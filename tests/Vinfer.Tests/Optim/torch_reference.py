# Generates the reference trajectories in OptimizerReferenceTests.cs (PyTorch 1.13.1, Debian python3-torch):
#   PYTHONPATH=/usr/lib/python3/dist-packages python3 torch_reference.py
import torch
torch.set_default_dtype(torch.float64)
def run(make, steps=3):
    p = torch.tensor([0.5, -1.5, 2.0], requires_grad=True)
    opt = make([p])
    out=[]
    for t in range(steps):
        opt.zero_grad()
        # loss with gradient g = (2p + c*p^3 ... ) ; use f = sum(a*p^2 + b*sin(p))
        loss = (torch.tensor([1.0,2.0,0.5]) * p**2 + torch.sin(3*p)).sum()
        loss.backward()
        opt.step()
        out.append(p.detach().tolist())
    return out
cases = {
 'sgd': lambda ps: torch.optim.SGD(ps, lr=0.1),
 'sgd_mom': lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),
 'sgd_nest': lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
 'adam': lambda ps: torch.optim.Adam(ps, lr=0.1, weight_decay=0.01),
 'adamw': lambda ps: torch.optim.AdamW(ps, lr=0.1, weight_decay=0.1),
 'adagrad': lambda ps: torch.optim.Adagrad(ps, lr=0.1, lr_decay=0.05, weight_decay=0.01, initial_accumulator_value=0.2),
 'rmsprop': lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, weight_decay=0.01),
 'rmsprop_cm': lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, momentum=0.5, centered=True),
}
for k,f in cases.items():
    print(k, [[repr(x) for x in row] for row in run(f)])
