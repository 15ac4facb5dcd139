"""The sanity checks of saliency maps (Adebayo et al., 2018) as the course runs them: the nine maps of a
batch of inputs, cascading model randomization, random-vs-random floors, similarity tables and the
course's verdict rule. Taught in notebooks/14_sanity_checks.ipynb.

Which parts are the paper's and which are the course's:

- **the paper's**: randomizing the weights block by block from the top (cascading model randomization);
  retraining on permuted labels (data randomization); comparing each map with the original by Spearman rank
  correlation with and without absolute values, SSIM and HOG; judging the result **qualitatively**, from
  figures of the maps and of the similarities.
- **the course's**: the random-vs-random floor; the midpoint rule (a method fails when its similarity is
  above the midpoint between the floor and 1); reading the verdict at the first stage; three draws of that
  stage; two standard errors for "borderline"; Guided Backprop as a positive control.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import attribution

#: The nine methods, in the order the notebooks show them.
METHODS = ["Gradient", "SmoothGrad", "Gradient ⊙ Input", "Integrated Gradients", "Guided Backprop",
           "Guided Grad-CAM", "Grad-CAM", "Occlusion", "LIME"]
#: The methods whose map is never negative: their signed and magnitude maps are the same map.
NON_NEGATIVE = {"Grad-CAM"}
RANKS = ["rank |map|", "rank signed"]
PAPER_MEASURES = ["rank |map|", "rank signed", "SSIM |map|", "HOG |map|"]
ON_SILHOUETTE = "rank |map|, silhouette only"


def _on_silhouette(a, image):
    return attribution.abs_map(a)[np.asarray(image)[..., 0] > 0]


#: Each measure compares two maps ``a`` and ``b`` of the same input ``image``. The first four are the
#: paper's (its code correlates HOG features with Spearman's rank correlation, its text says Pearson's);
#: the last one, on the silhouette's own pixels only, is the course's.
MEASURES = {
    "rank |map|": lambda a, b, image: attribution.rank_similarity(attribution.abs_map(a),
                                                                  attribution.abs_map(b)),
    "rank signed": lambda a, b, image: attribution.rank_similarity(attribution.signed_map(a),
                                                                   attribution.signed_map(b)),
    "SSIM |map|": lambda a, b, image: attribution.ssim_similarity(attribution.abs_map(a),
                                                                  attribution.abs_map(b)),
    "HOG |map|": lambda a, b, image: attribution.hog_similarity(attribution.abs_map(a),
                                                                attribution.abs_map(b), cell=4),
    ON_SILHOUETTE: lambda a, b, image: attribution.rank_similarity(_on_silhouette(a, image),
                                                                   _on_silhouette(b, image)),
}
RANK_MEASURES = {name: MEASURES[name] for name in RANKS}


# ---------------------------------------------------------------- the maps
def superpixels(image, n_segments: int = 25) -> np.ndarray:
    """SLIC superpixels of one (H, W, 1) silhouette, numbered 0..n-1 as ``lime`` wants them.
    Used in notebooks/14_sanity_checks.ipynb."""
    from skimage.segmentation import slic

    seg = slic(np.asarray(image)[..., 0], n_segments=n_segments, compactness=0.1, channel_axis=None,
               start_label=0)
    return np.unique(seg, return_inverse=True)[1].reshape(seg.shape)


def silhouette_maps(net, images, labels, *, seed: int, smooth_n: int = 50, ig_steps: int = 64) -> list[dict]:
    """The nine maps of each (H, W, 1) silhouette of ``images`` for its label, one dict per silhouette, in
    the order of ``METHODS``. Black (0) is the baseline of Integrated Gradients and the fill of occlusion
    (6 x 6 squares, stride 2) and LIME (100 samples on ``superpixels``). The gradients, Grad-CAM (at
    ``conv3``, resized by OpenCV), Guided Backprop, SmoothGrad (``smooth_n`` noisy copies, sd 15% of the
    range) and IG (``ig_steps`` intervals) of all silhouettes go through the network together.
    Used in notebooks/14_sanity_checks.ipynb."""
    import cv2
    import keras

    images = np.asarray(images, dtype=np.float32)
    labels = [int(label) for label in labels]
    if len(images) != len(labels):
        raise ValueError(f"one label per image: got {len(images)} images and {len(labels)} labels")
    gradients, cams = attribution.gradients_and_grad_cam(net, images, "conv3", labels)
    guided = attribution.guided_gradients(net, images, labels)
    smooth = attribution.smoothgrad_batch(net, images, labels, n=smooth_n, random_state=seed)
    integrated = attribution.integrated_gradients_batch(net, images, labels, steps=ig_steps, batch_size=256)
    result = []
    for k, (image, label) in enumerate(zip(images, labels)):
        cam = cv2.resize(cams[k], image.shape[1::-1])
        lime = attribution.lime_image_map(
            lambda rgb: keras.ops.convert_to_numpy(net(rgb[..., :1], training=False)), image[..., 0], label,
            superpixels(image), num_samples=100, hide_color=0, random_state=seed, batch_size=100)
        result.append({
            "Gradient": gradients[k], "SmoothGrad": smooth[k], "Gradient ⊙ Input": gradients[k] * image,
            "Integrated Gradients": integrated[k], "Guided Backprop": guided[k],
            "Guided Grad-CAM": guided[k] * cam[..., None], "Grad-CAM": cam,
            "Occlusion": attribution.occlusion(net, image, label, patch=6, stride=2, batch_size=256),
            "LIME": lime.weights,
        })
    return result


#: The methods that cost one backward pass: the ones run through SqueezeNet's cascade.
CHEAP = ["Gradient", "Gradient ⊙ Input", "Guided Backprop", "Guided Grad-CAM", "Grad-CAM"]


def photo_maps(net, images, labels, *, layer: str = "fire9_concat") -> list[dict]:
    """The ``CHEAP`` maps of each preprocessed photo of ``images`` for its label (Grad-CAM at ``layer``,
    resized to the photo), one dict per photo.
    Used in notebooks/14_sanity_checks.ipynb."""
    import cv2

    gradients, cams = attribution.gradients_and_grad_cam(net, images, layer, labels)
    guided = attribution.guided_gradients(net, images, labels)
    resized = [cv2.resize(cam, image.shape[1::-1]) for image, cam in zip(images, cams)]
    return [{"Gradient": g, "Gradient ⊙ Input": g * image, "Guided Backprop": gb,
             "Guided Grad-CAM": gb * cam[..., None], "Grad-CAM": cam}
            for image, g, gb, cam in zip(images, gradients, guided, resized)]


# ---------------------------------------------------------------- randomized networks
def cascade(net, stages: dict, inputs, labels, explain, *, only=None, seed: int = 0) -> dict:
    """The maps (``explain(network, inputs, labels)``) at the stages of a cascading randomization: all
    stages, or those in ``only``. ``stages`` maps each stage's name to its layers, top first; stage k
    re-draws the layers of stages 1..k (``attribution.randomize_layers``, seeded with ``seed``). One private
    copy of ``net`` serves every stage: it gets all the trained weights back before each stage's layers are
    re-drawn, so it is the network ``attribution.randomized_copy`` would build; ``net`` is never changed.
    Used in notebooks/14_sanity_checks.ipynb."""
    import keras

    unknown = sorted(set(only or ()) - set(stages))
    if unknown:
        raise ValueError(f"unknown stages {unknown}; the stages are {list(stages)}")
    copy, trained = keras.models.clone_model(net), net.get_weights()
    layers, result = [], {}
    for stage, names in stages.items():
        layers = layers + list(names)
        if only is None or stage in only:
            copy.set_weights(trained)
            attribution.randomize_layers(copy, layers, random_state=seed)
            result[stage] = explain(copy, inputs, labels)
    return result


def random_networks(net, stages: dict, inputs, labels, explain, seeds) -> list:
    """The maps of the inputs for networks random in every layer of ``stages``, one per seed (a private
    copy of ``net``, as in ``cascade``).
    Used in notebooks/14_sanity_checks.ipynb."""
    import keras

    every_layer = [name for names in stages.values() for name in names]
    copy, trained, result = keras.models.clone_model(net), net.get_weights(), []
    for seed in seeds:
        copy.set_weights(trained)
        attribution.randomize_layers(copy, every_layer, random_state=seed)
        result.append(explain(copy, inputs, labels))
    return result


# ---------------------------------------------------------------- similarities
def compare(reference, other, measures: dict, inputs) -> pd.DataFrame:
    """The similarity of each input's maps in ``other`` with its maps in ``reference`` (lists of dicts, one
    per input), per method and measure; ``blank`` marks a comparison in which either map is zero everywhere
    (rank similarity then 0).
    Used in notebooks/14_sanity_checks.ipynb."""
    if len(reference) != len(other) or len(reference) != len(inputs):
        raise ValueError(f"one dict of maps per input: got {len(reference)}, {len(other)} and {len(inputs)} "
                         "inputs")
    return pd.DataFrame([{"input": i, "method": m, "measure": name, "similarity": fn(a[m], b[m], image),
                          "blank": not (np.any(a[m]) and np.any(b[m]))}
                         for i, (a, b, image) in enumerate(zip(reference, other, inputs)) for m in a
                         for name, fn in measures.items()])


def random_vs_random(networks: list, measures: dict, inputs) -> pd.DataFrame:
    """The floor: similarities between the maps of disjoint pairs of random networks (0 with 1, 2 with 3,
    ...), column ``pair``.
    Used in notebooks/14_sanity_checks.ipynb."""
    if len(networks) < 2 or len(networks) % 2:
        raise ValueError("the floor needs an even number of random networks (at least 2), got "
                         f"{len(networks)}")
    return pd.concat([compare(networks[a], networks[a + 1], measures, inputs).assign(pair=a // 2)
                      for a in range(0, len(networks), 2)], ignore_index=True)


def similarity_table(originals, stage_maps: dict, first_draws: list, measures: dict, inputs) -> pd.DataFrame:
    """The similarity of every stage's maps with the original ones (``draw`` 0), and at the first stage also
    of the extra draws (``draw`` 1, 2, ...).
    Used in notebooks/14_sanity_checks.ipynb."""
    first = next(iter(stage_maps))
    tables = [compare(originals, maps_k, measures, inputs).assign(stage=stage, draw=0)
              for stage, maps_k in stage_maps.items()]
    tables += [compare(originals, maps_k, measures, inputs).assign(stage=first, draw=k)
               for k, maps_k in enumerate(first_draws, start=1)]
    return pd.concat(tables, ignore_index=True)


# ---------------------------------------------------------------- the course's verdict rule
def mean_and_se(similarity: pd.DataFrame, unit: str) -> tuple[pd.Series, pd.Series]:
    """Mean similarity per method and measure, and its standard error from two sources of variation:
    ``unit`` (the random draw, or the pair of random networks of the floor) and the input. Each adds the
    variance of its means divided by their number; a source with a single level adds nothing, because its
    variation is not measured (one photo, one shuffled-label network).
    Used in notebooks/14_sanity_checks.ipynb."""
    keys = ["method", "measure"]

    def term(by):
        means = similarity.groupby([*keys, by]).similarity.mean().groupby(keys)
        return (means.var() / means.size()).fillna(0.0)  # the variance of a single value is NaN

    return similarity.groupby(keys).similarity.mean(), np.sqrt(term(unit) + term("input"))


def floor_stats(floor: pd.DataFrame) -> pd.DataFrame:
    """The floor per method and measure: mean, standard error, and the lowest and highest of its pairs'
    means (the band the figures shade).
    Used in notebooks/14_sanity_checks.ipynb."""
    mean, se = mean_and_se(floor, "pair")
    pairs = floor.groupby(["method", "measure", "pair"]).similarity.mean().groupby(["method", "measure"])
    return pd.DataFrame({"mean": mean, "se": se, "low": pairs.min().clip(-1, 1),
                         "high": pairs.max().clip(-1, 1)})


def verdicts(similarity: pd.DataFrame, floor: pd.DataFrame, decide_at: str, measures, *,
             unit: str = "draw") -> pd.DataFrame:
    """The course's rule, per method and measure, at stage ``decide_at``: a method **fails** when its mean
    similarity to the original is above the midpoint between the floor's mean and 1; the verdict is
    **borderline** when the two are less than two standard errors apart (of the similarity and of the
    midpoint, added in quadrature).
    Used in notebooks/14_sanity_checks.ipynb."""
    if decide_at not in set(similarity.stage):
        raise ValueError(f"no similarities at stage {decide_at!r}; stages: {sorted(set(similarity.stage))}")
    band = floor_stats(floor)
    mean, se = mean_and_se(similarity[similarity.stage == decide_at], unit)
    midpoint = (band["mean"] + 1) / 2
    margin = 2 * np.sqrt(se ** 2 + (band["se"] / 2) ** 2)
    table = pd.DataFrame({"floor": band["mean"], "midpoint": midpoint, "similarity": mean, "± 2 SE": margin,
                          "verdict": np.where(mean > midpoint, "fails", "passes"),
                          "borderline": (mean - midpoint).abs() < margin})
    return table[table.index.get_level_values("measure").isin(list(measures))]


COLUMNS = ["floor", "midpoint", "similarity", "± 2 SE", "verdict", "borderline"]


def side_by_side(verdict: pd.DataFrame, methods, measures=RANKS, columns=COLUMNS) -> pd.DataFrame:
    """A verdict table with one row per method and the measures side by side.
    Used in notebooks/14_sanity_checks.ipynb."""
    table = verdict[list(columns)].unstack("measure").swaplevel(axis=1)
    return table[list(measures)].loc[list(methods)]


def with_borderline(verdict: pd.DataFrame, method: str, measure: str) -> str:
    """'passes' or 'fails', with ' (borderline)' when it is.
    Used in notebooks/14_sanity_checks.ipynb."""
    row = verdict.loc[(method, measure)]
    return row["verdict"] + (" (borderline)" if row["borderline"] else "")


def verdict_summary(verdict: pd.DataFrame, methods, paper: dict | None = None) -> pd.DataFrame:
    """One row per method: the verdict with signed maps and with magnitude maps (Grad-CAM: one measure).
    With ``paper`` (method -> the paper's reading), that reading comes first, as "paper (qualitative)",
    and the verdicts follow as "ours (course's rule), signed" and "ours (course's rule), |map|".
    Used in notebooks/14_sanity_checks.ipynb."""
    methods = [methods] if isinstance(methods, str) else list(methods)  # a bare string is one method
    if not methods:
        raise ValueError("methods is empty: no verdict to summarise")
    for m in methods:
        for measure in (["rank |map|"] if m in NON_NEGATIVE else ["rank signed", "rank |map|"]):
            if (m, measure) not in verdict.index:
                known = sorted({str(k[0]) for k in verdict.index})
                raise KeyError(f"the verdict has no row ({m!r}, {measure!r}); its methods are {known}")
    ours = pd.DataFrame({
        "signed": {m: "= |map|" if m in NON_NEGATIVE else with_borderline(verdict, m, "rank signed")
                   for m in methods},
        "|map|": {m: with_borderline(verdict, m, "rank |map|") for m in methods}})
    if paper is None:
        return ours
    readings = pd.DataFrame({"paper (qualitative)": {m: paper[m] for m in methods}})
    return readings.join(ours.add_prefix("ours (course's rule), "))
