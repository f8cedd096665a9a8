"""The wording of the papers of a case under Decree 118/2025/NĐ-CP (received from 1 July 2025,
laid out by Circular 03/2025/TT-VPCP), where it differs from the wording of Circular
01/2018/TT-VPCP that :data:`~tthc_flow.labels.FORM_LABELS` holds. Each text is the decree's,
read from its text:

- the one-stop desk is named as the decree names it, **Bộ phận Một cửa** (Art. 3(3): the
  common name of the ministries' Bộ phận Tiếp nhận và Trả kết quả and the provinces' and
  communes' public administration service centres), not Decree 61/2018's "Bộ phận tiếp nhận và
  trả kết quả" (the receipt's footnotes);
- a dossier refused after it was received is **not resolved**: "thông báo bằng văn bản nêu rõ
  lý do không giải quyết hồ sơ theo mẫu Phiếu từ chối giải quyết hồ sơ" (Art. 19(3)), not
  "not received";
- a supplement request reaches the applicant through the desk, which is the applicant's
  contact: no officer may "trực tiếp giao dịch, yêu cầu tổ chức, cá nhân bổ sung, hoàn thiện
  hồ sơ không thông qua Bộ phận Một cửa" (Art. 5(1)(e)); after appraisal the competent agency
  "trả lại hồ sơ cho Bộ phận Một cửa kèm theo thông báo … để gửi cho tổ chức, cá nhân"
  (Art. 19(5)); at reception the desk's officer asks (Art. 17(1)(c), for a dossier filed in
  person or by post; Art. 17(2)(a), online).

Each English gloss is the one :data:`~tthc_flow.labels.FORM_LABELS` gives the Circular 01/2018
text the wording replaces, so that a glossed paper is still the official one with glosses
added. A case under the older rules keeps the older wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from tthc_flow.forms._circulars import Circular, under_decree_118
from tthc_flow.labels import DEFAULT_LANGUAGE, FORM_LABELS, Label, form_text

__all__ = ["DECREE_118", "DECREE_118_WORDING", "supplement_article", "worded"]

#: How the papers name the decree they cite.
DECREE_118 = "Nghị định 118/2025/NĐ-CP"


def _gloss(key: str) -> str:
    return FORM_LABELS[key].en


#: The texts that differ under Decree 118/2025, by the key of the Circular 01/2018 text in
#: :data:`~tthc_flow.labels.FORM_LABELS` that they replace; ``supplement.statement`` (asked by
#: the desk) and ``supplement.statement_agency`` (asked by the competent agency) are new: the
#: paragraph that cites the article a supplement request is made under.
DECREE_118_WORDING: Mapping[str, Label] = MappingProxyType({
    "receipt.note_copies": Label(
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả được lập thành 2 liên: một liên kèm theo "
        "Phiếu kiểm soát quá trình giải quyết hồ sơ, lưu tại Bộ phận Một cửa; một liên giao "
        "cho cá nhân, tổ chức nộp hồ sơ.",
        _gloss("receipt.note_copies"),
    ),
    "receipt.note_delivery": Label(
        "Cá nhân, tổ chức có thể đăng ký nhận kết quả tại Bộ phận Một cửa hoặc tại nhà (trụ "
        "sở tổ chức) qua dịch vụ bưu chính.",
        _gloss("receipt.note_delivery"),
    ),
    "refusal.statement": Label(
        f"Căn cứ Điều 19 khoản 3 {DECREE_118}, qua xem xét, đối chiếu, {{unit}} không giải "
        "quyết hồ sơ này với lý do cụ thể như sau:",
        _gloss("refusal.statement"),
    ),
    # {article}: supplement_article(); {desk}: the desk that received the dossier.
    "supplement.statement": Label(
        f"Căn cứ {{article}} {DECREE_118}, {{desk}} đề nghị ông/bà bổ sung, hoàn thiện hồ sơ "
        "với nội dung cụ thể như sau:",
        _gloss("supplement.content"),
    ),
    "supplement.statement_agency": Label(
        f"Căn cứ {{article}} {DECREE_118}, {{desk}} đề nghị ông/bà bổ sung, hoàn thiện hồ sơ "
        "theo thông báo của {unit}, với nội dung cụ thể như sau:",
        _gloss("supplement.content"),
    ),
})  # fmt: skip


def worded(
    key: str, circular: Circular, language: str = DEFAULT_LANGUAGE, **values: object
) -> str:
    """The text ``key`` as a paper laid out by ``circular`` prints it: the decree's wording
    (:data:`DECREE_118_WORDING`) for a case under Decree 118/2025, else
    :data:`~tthc_flow.labels.FORM_LABELS`'s."""
    if under_decree_118(circular) and key in DECREE_118_WORDING:
        return DECREE_118_WORDING[key].text(language, **values)
    return form_text(key, language, **values)


def supplement_article(by_desk: bool, channel: str | None) -> str:
    """The article a supplement request under Decree 118/2025 is made under: after appraisal,
    by the competent agency through the desk, Art. 19(5); at reception, by the desk itself,
    Art. 17(1)(c) for a dossier filed in person or by post (Art. 15(1), (2)), Art. 17(2)(a)
    for one filed online, Art. 17 when the case does not say how it was filed; ``channel`` is
    the case's (:func:`~tthc_flow.engine.case_channel`)."""
    if not by_desk:
        return "Điều 19 khoản 5"
    if channel is None:
        return "Điều 17"
    return "Điều 17 khoản 2 điểm a" if channel == "online" else "Điều 17 khoản 1 điểm c"
