"""What the attribute reader (attribute_reader.py) sees of an avatar: features computed from its
Gaussians alone, read from a .ply as `tera` writes it (teacher maps become one through tera-synth).

Features. The Gaussians are composited front to back (alpha-weighted, as a renderer would) into
small orthographic views: front, back, the two sides and the top. Landmarks are found on the
Gaussians themselves: the feet and the top of the head (H is the distance), the head's centre
line, and the nose tip, located by matching the face's front depth profile against a mean profile
fitted on teacher avatars, over several face sizes (median error about 0.002 H); the best size
gives the face unit F. Face regions (eye band, bridge, upper lip, chin, jaw, cheeks, brows) are
placed relative to the nose in units of F; head, hair and body regions (crown, back of head and
neck, chest, belly, back, thighs) in units of H. Each attribute's classifier sees only the feature
groups that can carry it (hair colour from hair regions, top colour from the torso and shoulders,
hair length from the back and sides of head and neck, glasses and facial hair from the face, hat
from the head's top, gender and build from the body's width and depth profile), so it cannot
guess one attribute from a correlated one. docs/evaluation.md lists them and the ceiling.
"""
import os
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "train"))
sys.path.insert(0, HERE)

SH_C0 = 0.28209479177387814  # colour = 0.5 + C0 * f_dc (degree-0 spherical harmonic)
OPAQUE = 0.5                 # alpha from which a Gaussian counts as a surface for geometry
THICK_REACH = 0.02           # depth gaps are looked for this far (view units: ~3.4 cm) behind a surface

# Nose search: front depth image of the head in cells of NOSE_CELL * H, columns +-NOSE_HALF around the
# head's centre line, rows from the top down to NOSE_DEPTH * H; the fitted mean profile spans
# +-NOSE_ROWS rows around the nose tip (0.09 H: brows to chin).
NOSE_CELL = 0.004
NOSE_HALF = 12
NOSE_DEPTH = 0.30
NOSE_ROWS = 22
NOSE_CAP = 0.02   # per-cell cap of the profile mismatch (face units): hats, glasses, hair are outliers
NOSE_SCALES = (0.85, 0.93, 1.0, 1.08, 1.17, 1.27, 1.38, 1.5)  # face size / (mean face size for the height):
                                                               # teacher faces span 0.88-1.35 (5-95 %: 0.88-1.26)


# ---------------------------------------------------------------------------------------------
# Reading Gaussians

def read_ply(path, frame="ydown"):
    """An INRIA 3DGS .ply (binary little-endian, the layout tera writes; any float/int property types)
    -> {xyz float32[N,3] in tera's y-up frame, f_dc float32[N,3], opacity float32[N] (logit)}.

    frame: what the file stores: "ydown" (tera's default for .ply) or "yup"."""
    with open(path, "rb") as f:
        data = f.read()
    end = data.find(b"end_header\n")
    if not data.startswith(b"ply\n") or end < 0:
        raise ValueError(f"{path}: not a binary .ply (no 'ply' line or no end_header)")
    header = data[:end].decode("ascii").splitlines()
    types = {"float": "<f4", "float32": "<f4", "double": "<f8", "float64": "<f8", "uchar": "u1", "uint8": "u1",
             "char": "i1", "int8": "i1", "short": "<i2", "int16": "<i2", "ushort": "<u2", "uint16": "<u2",
             "int": "<i4", "int32": "<i4", "uint": "<u4", "uint32": "<u4"}
    count, fields, in_vertex = None, [], False
    for line in header:
        words = line.split()
        if words[:1] == ["format"] and words[1] != "binary_little_endian":
            raise ValueError(f"{path}: format {words[1]} not supported here (tera writes binary_little_endian)")
        if words[:1] == ["element"]:
            if fields and in_vertex:
                break
            in_vertex = words[1] == "vertex"
            if in_vertex:
                count = int(words[2])
            elif count is None and int(words[2]) > 0:
                raise ValueError(f"{path}: element '{words[1]}' before vertex is not supported")
        elif words[:1] == ["property"] and in_vertex:
            if words[1] == "list":
                raise ValueError(f"{path}: list property in the vertex element")
            fields.append((words[2], types[words[1]]))
    if count is None:
        raise ValueError(f"{path}: no vertex element")
    rows = np.frombuffer(data, np.dtype(fields), count, end + len(b"end_header\n"))
    names = set(rows.dtype.names)
    for name in ("x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity"):
        if name not in names:
            raise ValueError(f"{path}: vertex property '{name}' missing")
    xyz = np.stack([rows["x"], rows["y"], rows["z"]], 1).astype(np.float32)
    if frame == "ydown":  # 180 degrees about X: (x, y, z) -> (x, -y, -z); its own inverse
        xyz[:, 1] = -xyz[:, 1]
        xyz[:, 2] = -xyz[:, 2]
    elif frame != "yup":
        raise ValueError(f"frame must be ydown or yup, not {frame!r}")
    return {"xyz": xyz,
            "f_dc": np.stack([rows["f_dc_0"], rows["f_dc_1"], rows["f_dc_2"]], 1).astype(np.float32),
            "opacity": rows["opacity"].astype(np.float32)}


def from_maps(maps, template_path, synth):
    """Teacher-layout maps float32[layers, M, >= 11] -> the same arrays as read_ply (y-up): the maps
    become a .ply through `tera-synth assemble` (the runtime's assembly and .ply writer), read back."""
    from gaussians import write_avatar
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "avatar.ply")
        write_avatar(maps[:, :, :11], template_path, path, synth)
        return read_ply(path)


# ---------------------------------------------------------------------------------------------
# Views

def _composite(iu, iv, depth, rgb, alpha, nu, nv):
    """Front-to-back alpha compositing of Gaussians into cells (each Gaussian to the cell of its centre).

    iu, iv: int[N] cell columns and rows; depth: float[N], larger = nearer the viewer.
    -> colour float[nv, nu, 3] (nan where coverage < 0.5), coverage float[nv, nu], surface depth
    float[nv, nu] (the nearest opaque Gaussian; nan where none), gap float[nv, nu] (the widest empty
    stretch of depth between consecutive opaque Gaussians within THICK_REACH behind the surface: a
    glasses rim or a beard standing in front of the skin, where a slanted surface has none; 0 where
    a cell holds one surface, nan where none)."""
    ok = (iu >= 0) & (iu < nu) & (iv >= 0) & (iv < nv)
    cell = (iv[ok] * nu + iu[ok]).astype(np.int64)
    d, c, a = depth[ok], rgb[ok], alpha[ok]
    colour = np.full((nv * nu, 3), np.nan)
    coverage = np.zeros(nv * nu)
    surface = np.full(nv * nu, -np.inf)
    gap = np.full(nv * nu, -np.inf)
    if len(cell):
        order = np.lexsort((-d, cell))
        cell, d, c, a = cell[order], d[order], c[order], a[order]
        la = np.log1p(-np.minimum(a, 0.999))
        cs = np.cumsum(la)
        start = np.r_[True, cell[1:] != cell[:-1]]
        first = np.maximum.accumulate(np.where(start, np.arange(len(cs)), 0))
        before = cs - la - (cs[first] - la[first])  # log transmittance in front of each Gaussian
        w = np.exp(before) * a
        coverage = np.bincount(cell, w, nv * nu)
        sums = np.stack([np.bincount(cell, w * c[:, k], nv * nu) for k in range(3)], 1)
        seen = coverage >= 0.5
        colour[seen] = sums[seen] / coverage[seen, None]
        opaque = a >= OPAQUE
        np.maximum.at(surface, cell[opaque], d[opaque])
        near = np.flatnonzero(opaque & (d >= surface[cell] - THICK_REACH))  # in cell order, nearest first
        np.maximum.at(gap, cell[near], 0.0)
        pair = cell[near[1:]] == cell[near[:-1]]
        np.maximum.at(gap, cell[near[1:]][pair], (d[near[:-1]] - d[near[1:]])[pair])
    surface[~np.isfinite(surface)] = np.nan
    gap[~np.isfinite(gap)] = np.nan
    return (colour.reshape(nv, nu, 3), coverage.reshape(nv, nu), surface.reshape(nv, nu), gap.reshape(nv, nu))


class Avatar:
    """Gaussians in tera's y-up frame (the avatar faces +Z) with the landmarks found on them."""

    def __init__(self, g, nose_profile):
        self.xyz = g["xyz"].astype(np.float64)
        self.rgb = np.clip(0.5 + SH_C0 * g["f_dc"].astype(np.float64), 0.0, 1.0)
        self.alpha = 1.0 / (1.0 + np.exp(-g["opacity"].astype(np.float64)))
        keep = np.all(np.isfinite(self.xyz), 1) & np.isfinite(self.alpha) & np.all(np.isfinite(self.rgb), 1)
        self.xyz, self.rgb, self.alpha = self.xyz[keep], self.rgb[keep], self.alpha[keep]
        solid = self.xyz[self.alpha >= OPAQUE]
        if len(solid) < 1000:
            raise ValueError(f"only {len(solid)} opaque Gaussians: not an avatar")
        self.feet = float(np.quantile(solid[:, 1], 0.001))
        self.top = float(np.quantile(solid[:, 1], 0.9995))
        self.H = self.top - self.feet
        head = solid[solid[:, 1] > self.top - 0.15 * self.H]
        self.cx = float(np.median(head[:, 0]))
        body = solid[(solid[:, 1] > self.feet + 0.45 * self.H) & (solid[:, 1] < self.feet + 0.8 * self.H)]
        self.cz = float(np.median(body[:, 2]))
        # the nose tip (absolute y and z) and the face's unit F: H times the scale at which the face
        # matches the mean profile (short avatars have larger heads for their height)
        self.nose_y, self.nose_z, self.F = (self._find_nose(nose_profile) if nose_profile is not None
                                            else (np.nan, np.nan, self.H))

    # -- views -------------------------------------------------------------------------------
    def view(self, side, u_range, v_range, cell, v_from="feet", unit=None):
        """Composited view from SIDE (front, back, left, right, top) over a window.

        v_from="feet": body coordinates in units of H from (head centre line, feet, body centre);
        v_from="nose": face coordinates from the nose tip in units of the face unit F; with unit="H",
        head coordinates in units of H from the nose's height and the body's centre (hair and hats
        reach as far as the body's size says, not the face's).
        u_range, v_range: (lo, hi) in those units. u is across the view (x for front/back, z for the
        sides, x for top); v is height, or z for top. -> colour [nv, nu, 3], coverage [nv, nu], depth
        [nv, nu] (nearness: larger = nearer the viewer), depth gap in front of the surface [nv, nu]
        (see _composite), lengths in the same units."""
        if v_from == "feet":
            unit, origin = self.H, (self.cx, self.feet, self.cz)
        else:
            unit, origin = ((self.H, (self.cx, self.nose_y, self.cz)) if unit == "H" else
                            (self.F, (self.cx, self.nose_y, self.nose_z)))
        x, y, z = ((self.xyz[:, k] - origin[k]) / unit for k in range(3))
        u, v, d = {"front": (x, y, z), "back": (-x, y, -z), "left": (-z, y, x), "right": (z, y, -x),
                   "top": (x, z, y)}[side]
        nu = int(round((u_range[1] - u_range[0]) / cell))
        nv = int(round((v_range[1] - v_range[0]) / cell))
        iu = np.floor((u - u_range[0]) / cell).astype(np.int64)
        iv = np.floor((v - v_range[0]) / cell).astype(np.int64)
        return _composite(iu, iv, d, self.rgb, self.alpha, nu, nv)

    def nose_depth_image(self, scale=1.0):
        """Front surface depth of the head in units of scale * H: NOSE_DEPTH / NOSE_CELL rows of
        NOSE_CELL from top - NOSE_DEPTH down there, 2 * NOSE_HALF + 1 columns on the centre line."""
        unit = scale * self.H
        x = (self.xyz[:, 0] - self.cx) / unit
        y = (self.xyz[:, 1] - self.top) / unit
        z = (self.xyz[:, 2] - self.cz) / unit
        near = y > -NOSE_DEPTH - NOSE_CELL
        iu = np.floor((x[near] + (NOSE_HALF + 0.5) * NOSE_CELL) / NOSE_CELL).astype(np.int64)
        iv = np.floor((y[near] + NOSE_DEPTH) / NOSE_CELL).astype(np.int64)
        nv = int(round(NOSE_DEPTH / NOSE_CELL))
        return _composite(iu, iv, z[near], self.rgb[near], self.alpha[near], 2 * NOSE_HALF + 1, nv)[2]

    def _find_nose(self, profile):
        """The row and scale at which the front depth image best matches the mean profile."""
        best, found = np.inf, None
        for scale in NOSE_SCALES:
            depth = self.nose_depth_image(scale)
            for k in range(NOSE_ROWS, depth.shape[0] - NOSE_ROWS):
                diff = depth[k - NOSE_ROWS:k + NOSE_ROWS + 1] - profile
                if np.isfinite(diff).sum() < 0.3 * diff.size:
                    continue
                diff = diff - np.nanmedian(diff)
                error = np.nanmean(np.minimum(np.abs(diff), NOSE_CAP))
                if error < best:
                    best, found = error, (scale, k, depth)
        if found is None:
            raise ValueError("no face found on the avatar")
        scale, k, depth = found
        unit = scale * self.H
        nose_y = self.top - NOSE_DEPTH * unit + (k + 0.5) * NOSE_CELL * unit
        centre = depth[k - 1:k + 2, NOSE_HALF - 1:NOSE_HALF + 2]
        nose_z = self.cz + unit * float(np.nanmax(centre) if np.isfinite(centre).any() else np.nanmax(depth[k]))
        return nose_y, nose_z, unit


def teacher_nose(maps, template):
    """The nose tip of a teacher avatar: its skin-layer Gaussian on the frontmost face texel of the
    template's centre line -> float[3] (y-up)."""
    t = template
    face = np.where(t.region == 1)[0]  # region 1: face (docs/template-format.md)
    centre = face[np.abs(t.position[face, 0]) < 0.004]
    k = centre[np.argmax(t.position[centre, 2])]
    return t.centres(maps[0])[k]


def fit_nose_profile(depth_images, nose_rows):
    """Mean front depth profile around the nose tip: depth images of teacher avatars and their true
    nose rows (fractional) -> float[2 * NOSE_ROWS + 1, 2 * NOSE_HALF + 1] (nan where rarely seen)."""
    windows = []
    for depth, row in zip(depth_images, nose_rows):
        k = int(round(row))
        if k - NOSE_ROWS < 0 or k + NOSE_ROWS + 1 > depth.shape[0]:
            continue
        w = depth[k - NOSE_ROWS:k + NOSE_ROWS + 1]
        w = w - np.nanmax(w[NOSE_ROWS - 2:NOSE_ROWS + 3, NOSE_HALF - 1:NOSE_HALF + 2])
        windows.append(w)
    stack = np.array(windows)
    profile = np.nanmedian(stack, 0)
    profile[np.isfinite(stack).mean(0) < 0.5] = np.nan
    return profile


# ---------------------------------------------------------------------------------------------
# Features

def _stats(colour, mask=None):
    """Median and mean colour, and the share of cells seen, of a view window (cells [.., 3])."""
    c = colour.reshape(-1, 3)
    if mask is not None:
        c = c[mask.reshape(-1)]
    seen = c[np.all(np.isfinite(c), 1)]
    if len(seen) == 0:
        return np.r_[np.full(6, np.nan), 0.0]
    return np.r_[np.median(seen, 0), seen.mean(0), len(seen) / max(len(c), 1)]


def _split_stats(colour, mask):
    """Mean colours of the darker and the lighter third of a region's cells (patterns: checks and
    stripes alternate the garment colour with a darker or a paler one), with their shares of the
    luminance range."""
    c = colour[mask].reshape(-1, 3)
    c = c[np.all(np.isfinite(c), 1)]
    if len(c) < 6:
        return np.full(8, np.nan)
    lum = c.mean(1)
    order = np.argsort(lum)
    third = len(c) // 3
    dark, light = c[order[:third]].mean(0), c[order[-third:]].mean(0)
    return np.r_[dark, light, lum[order[-third:]].mean() - lum[order[:third]].mean(), np.std(lum)]


def _log_chroma(rgb):
    """Log-ratio chroma (red over green, blue over green) and log lightness: independent of the baked
    light's brightness."""
    r, g, b = (np.log(np.maximum(rgb[..., k], 0.01)) for k in range(3))
    return np.stack([r - g, b - g, (r + g + b) / 3], -1)


def _chroma(rgb):
    """Lightness and two opponent chroma axes of an rgb triple (nan-safe)."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    return np.stack([(r + g + b) / 3, r - g, (r + g) / 2 - b], -1)


def features(av):
    """Avatar -> {group: float64[F]} (nan where a region is not seen; the classifiers fill nans)."""
    out = {}
    H = av.H
    # ---- face, anchored at the nose tip: front view in cells of 0.005 F ------------------------
    fc = 0.005
    colour, cov, depth, _ = av.view("front", (-0.06, 0.06), (-0.08, 0.07), fc, v_from="nose")
    rows = (np.arange(colour.shape[0]) + 0.5) * fc - 0.08
    cols = (np.arange(colour.shape[1]) + 0.5) * fc - 0.06
    R, C = np.meshgrid(rows, cols, indexing="ij")
    skin = _stats(colour[(np.abs(R) < 0.008) & (np.abs(C) < 0.008)])[:3]  # the nose tip: skin on every face
    rel = colour - skin
    lum = colour.mean(-1)
    regions = {
        "eyes": (np.abs(R - 0.02) < 0.015) & (np.abs(C) > 0.008) & (np.abs(C) < 0.04),
        "bridge": (np.abs(R - 0.02) < 0.01) & (np.abs(C) <= 0.008),
        "brows": (np.abs(R - 0.045) < 0.01) & (np.abs(C) < 0.035),
        "upper_lip": (np.abs(R + 0.015) < 0.007) & (np.abs(C) < 0.02),
        "mouth": (np.abs(R + 0.027) < 0.005) & (np.abs(C) < 0.02),
        "chin": (np.abs(R + 0.042) < 0.01) & (np.abs(C) < 0.02),
        "jaw": (np.abs(R + 0.03) < 0.017) & (np.abs(C) > 0.025) & (np.abs(C) < 0.05),
        "neck": (np.abs(R + 0.065) < 0.012) & (np.abs(C) < 0.03),
        "cheeks": (np.abs(R) < 0.01) & (np.abs(C) > 0.02) & (np.abs(C) < 0.04),
        "temples": (np.abs(R - 0.025) < 0.015) & (np.abs(C) > 0.04),
    }
    face = [skin]
    for name, mask in regions.items():
        r = rel[mask]
        seen = np.all(np.isfinite(r), 1)
        r = r[seen]
        d = depth[mask]
        d = d[np.isfinite(d)]
        face.append(np.r_[np.median(r, 0) if len(r) else np.full(3, np.nan),
                          np.mean(np.abs(r), 0) if len(r) else np.full(3, np.nan),
                          np.std(lum[mask][seen]) if len(r) else np.nan,
                          np.median(d) if len(d) else np.nan, np.max(d) if len(d) else np.nan,
                          seen.mean(), cov[mask].mean()])
    out["face"] = np.concatenate(face)
    # coarse grids of depth and colour difference (0.01 F cells) for patterns the regions miss
    pool = lambda a: np.nanmean(a.reshape(a.shape[0] // 2, 2, a.shape[1] // 2, 2, *a.shape[2:]), (1, 3))  # noqa: E731
    out["face_grid"] = np.concatenate([pool(depth).ravel(), pool(np.abs(rel).sum(-1)).ravel()])
    out["face_fine"] = _face_fine(av, colour[regions["brows"]])

    # ---- head: front, side and top silhouettes and depth above the nose -------------------
    hc = 0.01
    top_v = (av.top - av.nose_y) / H
    window = (-0.02, 0.16)  # nose to above the crown (hats included)
    c_f, cov_f, d_f, _ = av.view("front", (-0.1, 0.1), window, hc, v_from="nose", unit="H")
    c_l, cov_l, d_l, _ = av.view("left", (-0.12, 0.12), window, hc, v_from="nose", unit="H")
    c_r, cov_r, d_r, _ = av.view("right", (-0.12, 0.12), window, hc, v_from="nose", unit="H")
    hd = [top_v]
    for cov_, d_ in ((cov_f, d_f - (av.nose_z - av.cz) / H), (cov_l, d_l), (cov_r, d_r)):
        hd += [cov_.ravel(), np.nan_to_num(d_, nan=-0.2).ravel()]
    out["head_shape"] = np.concatenate([np.atleast_1d(x) for x in hd])
    # colours of the crown (top view) and of the head's front above the brows
    c_t, cov_t, _, _ = av.view("top", (-0.06, 0.06), (-0.06, 0.06), hc)
    crown = _stats(c_t)
    hair_refs = {}
    c_b, cov_b, d_b, _ = av.view("back", (-0.1, 0.1), (-0.30, top_v + 0.02), hc, v_from="nose", unit="H")
    brows = colour[regions["brows"]]
    hair_refs["crown"] = crown[:3]
    rows_b = (np.arange(c_b.shape[0]) + 0.5) * hc - 0.30
    cols_b = (np.arange(c_b.shape[1]) + 0.5) * hc - 0.1
    Rb, Cb = np.meshgrid(rows_b, cols_b, indexing="ij")
    hair_refs["back_nose"] = _stats(c_b[(np.abs(Rb - 0.01) < 0.02) & (np.abs(Cb) < 0.04)])[:3]
    hair_refs["back_high"] = _stats(c_b[(np.abs(Rb - 0.05) < 0.015) & (np.abs(Cb) < 0.04)])[:3]
    side_rows = (np.arange(c_l.shape[0]) + 0.5) * hc + window[0]
    side_cols = (np.arange(c_l.shape[1]) + 0.5) * hc - 0.12
    Rs, Cs = np.meshgrid(side_rows, side_cols, indexing="ij")
    side_mask = (np.abs(Rs - 0.03) < 0.02) & (Cs < -0.01)
    hair_refs["sides"] = _stats(np.concatenate([c_l[side_mask], c_r[side_mask]]))[:3]
    hair_refs["brows"] = _stats(brows)[:3]
    hair_refs["jaw"] = _stats(colour[regions["jaw"]])[:3]
    out["hair_colour"] = np.concatenate([np.r_[v, _chroma(v)] for v in hair_refs.values()] + [skin, _chroma(skin)])
    out["head_colour"] = np.concatenate([crown, np.r_[crown[:3] - skin], _stats(c_f[8:14])])

    # ---- back of head, neck and upper back: how far the hair reaches ------------------------
    hair = hair_refs["back_high"]
    dist_hair = np.linalg.norm(c_b - hair, axis=-1)
    dist_skin = np.linalg.norm(c_b - skin, axis=-1)
    pool2 = lambda a: np.nanmean(a.reshape(a.shape[0] // 2, 2, a.shape[1] // 2, 2), (1, 3))  # noqa: E731
    nb = (0.30 // hc) // 2 * 2
    nb = int(nb)
    out["hair_back"] = np.concatenate([
        np.nan_to_num(pool2(dist_hair[:nb]), nan=1.0).ravel(), np.nan_to_num(pool2(dist_skin[:nb]), nan=1.0).ravel(),
        np.nan_to_num(pool2(d_b[:nb]), nan=-0.2).ravel(), pool2(cov_b[:nb]).ravel(),
        [np.linalg.norm(hair - skin), np.linalg.norm(hair_refs["crown"] - skin)]])
    # beside the face (bobs, long hair framing it): front view at face height, outside the cheeks
    c_side = colour[:, np.abs(cols) > 0.045]
    out["hair_front"] = np.r_[np.nanmean(np.linalg.norm(c_side - hair, axis=-1), 1),
                              np.nanmean(np.linalg.norm(c_side - skin, axis=-1), 1)]

    # ---- torso and sleeves: the top's colour ---------------------------------------------
    bc = 0.01
    c_fr, cov_fr, d_fr, _ = av.view("front", (-0.3, 0.3), (0.25, 0.9), bc)
    c_bk, cov_bk, d_bk, _ = av.view("back", (-0.3, 0.3), (0.25, 0.9), bc)
    rows_t = (np.arange(c_fr.shape[0]) + 0.5) * bc + 0.25
    cols_t = (np.arange(c_fr.shape[1]) + 0.5) * bc - 0.3
    Rt, Ct = np.meshgrid(rows_t, cols_t, indexing="ij")
    areas = {
        "chest_front": (np.abs(Rt - 0.74) < 0.035) & (np.abs(Ct) > 0.02) & (np.abs(Ct) < 0.09),
        "belly_front": (np.abs(Rt - 0.65) < 0.035) & (np.abs(Ct) > 0.02) & (np.abs(Ct) < 0.08),
        "centre_front": (np.abs(Rt - 0.70) < 0.07) & (np.abs(Ct) <= 0.02),
        "shoulders": (np.abs(Rt - 0.80) < 0.02) & (np.abs(Ct) > 0.06) & (np.abs(Ct) < 0.13),
    }
    areas_back = {"back_upper": (Rt > 0.70) & (Rt < 0.78) & (np.abs(Ct) < 0.08),
                  "back_lower": (Rt > 0.60) & (Rt < 0.68) & (np.abs(Ct) < 0.08)}
    torso = []
    for view_colour, view_areas in ((c_fr, areas), (c_bk, areas_back)):
        for mask in view_areas.values():
            s = _stats(view_colour, mask)
            split = _split_stats(view_colour, mask)
            torso.append(np.r_[s, _chroma(s[:3]), _log_chroma(s[:3]), split, _log_chroma(split[:3]),
                               _log_chroma(split[3:6])])
    out["top_colour"] = np.concatenate(torso)
    # ---- legs: the bottom's colour --------------------------------------------------------
    legs = []
    for view_colour in (c_fr, c_bk):
        for lo, hi in ((0.40, 0.48), (0.30, 0.38)):
            s = _stats(view_colour, (Rt > lo) & (Rt < hi) & (np.abs(Ct) > 0.01) & (np.abs(Ct) < 0.09))
            legs.append(np.r_[s, _chroma(s[:3])])
    out["bottom_colour"] = np.concatenate(legs)

    # ---- body shape: width and depth profile ----------------------------------------------
    solid = av.xyz[av.alpha >= OPAQUE]
    v = (solid[:, 1] - av.feet) / H
    x = (solid[:, 0] - av.cx) / H
    z = (solid[:, 2] - av.cz) / H
    shape = [H]
    for lo in np.arange(0.30, 0.86, 0.02):
        band = (v >= lo) & (v < lo + 0.02)
        core = band & (np.abs(x) < 0.12)
        if core.sum() < 10:
            shape += [np.nan] * 6
            continue
        xs, zs = x[core], z[core]
        shape += [np.quantile(xs, 0.97) - np.quantile(xs, 0.03), np.quantile(zs, 0.97), np.quantile(zs, 0.03),
                  np.quantile(np.abs(x[band]), 0.98), np.median(zs), band.sum() / len(v)]
    out["shape"] = np.array(shape, dtype=np.float64)
    return out


def _face_fine(av, brows):
    """Facial hair and glasses at a finer grain (cells of 0.0025 F, about 4 mm): per face region the
    empty depth gap in front of the skin (glasses rims stand 2.2 cm before the eyes, a beard 4-8 mm over
    the jaw), the cell-to-cell texture of the lightness (stubble is a speckle painted on the skin)
    and the colour's shift from the upper cheeks toward the eyebrows' colour (which is the hair's,
    as is the stubble's)."""
    fc = 0.0025
    colour, cov, depth, gap = av.view("front", (-0.06, 0.06), (-0.08, 0.07), fc, v_from="nose")
    rows = (np.arange(colour.shape[0]) + 0.5) * fc - 0.08
    cols = (np.arange(colour.shape[1]) + 0.5) * fc - 0.06
    R, C = np.meshgrid(rows, cols, indexing="ij")
    lum = colour.mean(-1)
    pad = np.pad(lum, 1, constant_values=np.nan)
    neighbours = np.nanmean(np.stack([pad[:-2, 1:-1], pad[2:, 1:-1], pad[1:-1, :-2], pad[1:-1, 2:]]), 0)
    texture = np.abs(lum - neighbours)
    upper_cheeks = (np.abs(R - 0.005) < 0.007) & (np.abs(C) > 0.02) & (np.abs(C) < 0.04)
    cheek = _stats(colour[upper_cheeks])[:3]
    brow = _stats(brows)[:3]
    toward = brow - cheek
    toward = toward / (np.linalg.norm(toward) + 0.02)
    regions = {
        "eyes": (np.abs(R - 0.02) < 0.015) & (np.abs(C) > 0.008) & (np.abs(C) < 0.04),
        "eye_rims": (np.abs(R - 0.02) < 0.02) & (np.abs(C) > 0.004) & (np.abs(C) < 0.045),
        "bridge": (np.abs(R - 0.022) < 0.008) & (np.abs(C) <= 0.008),
        "upper_lip": (np.abs(R + 0.014) < 0.006) & (np.abs(C) < 0.018),
        "chin": (np.abs(R + 0.042) < 0.01) & (np.abs(C) < 0.02),
        "jaw": (np.abs(R + 0.03) < 0.015) & (np.abs(C) > 0.022) & (np.abs(C) < 0.045),
        "under_chin": (np.abs(R + 0.06) < 0.01) & (np.abs(C) < 0.03),
        "lower_cheeks": (np.abs(R + 0.012) < 0.008) & (np.abs(C) > 0.022) & (np.abs(C) < 0.04),
        "upper_cheeks": upper_cheeks,
        "forehead": (np.abs(R - 0.05) < 0.008) & (np.abs(C) < 0.02),
    }
    out = [cheek, brow]
    # stubble's speckle on skin only: cells near the cheek's colour (no hair, collar or shadow edge),
    # relative to the upper cheeks' own fine noise
    skin_like = np.linalg.norm(colour - cheek, axis=-1) < 0.2
    reference = skin_like & upper_cheeks
    base = np.nanmean(np.where(reference, texture, np.nan)) if reference.any() else np.nan
    lightness = max(float(np.mean(cheek)), 0.05)
    for name in ("upper_lip", "chin", "jaw", "lower_cheeks", "under_chin"):
        mask = regions[name] & skin_like & np.isfinite(texture)
        x = texture[mask]
        out.append(np.r_[np.mean(x) / lightness if len(x) else np.nan, np.mean(x) - base if len(x) else np.nan,
                         np.std(lum[mask]) / lightness if len(x) else np.nan, mask.sum() / max(regions[name].sum(), 1)])
    for mask in regions.values():
        t = gap[mask]
        seen = np.isfinite(t)
        t = t[seen]
        x = texture[mask]
        x = x[np.isfinite(x)]
        c = colour[mask].reshape(-1, 3)
        c = c[np.all(np.isfinite(c), 1)]
        shift = (c.mean(0) - cheek) if len(c) else np.full(3, np.nan)
        out.append(np.r_[np.mean(t) if len(t) else np.nan, np.mean(t > 0.003) if len(t) else np.nan,
                         np.mean(t > 0.006) if len(t) else np.nan, np.quantile(t, 0.9) if len(t) else np.nan,
                         np.mean(x) if len(x) else np.nan, np.quantile(x, 0.9) if len(x) else np.nan,
                         shift, shift @ toward, seen.mean()])
    return np.concatenate(out)


# which feature groups each attribute's classifier reads
ATTRIBUTE_GROUPS = {
    "gender": ["shape"],
    "build": ["shape"],
    "hair_colour": ["hair_colour"],
    "hair_length": ["hair_back", "hair_front", "head_colour", "head_shape"],
    "top_colour": ["top_colour"],
    "bottom_colour": ["bottom_colour"],
    "facial_hair": ["face", "face_fine"],
    "beard": ["face", "face_fine"],
    "glasses": ["face", "face_grid", "face_fine"],
    "hat": ["head_shape", "head_colour"],
}
